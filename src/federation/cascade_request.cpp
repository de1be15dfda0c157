#include "federation/cascade_request.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "federation/gml_page.hpp"
#include "http/request.hpp"  // percent_encode
#include "query/cql2_json_writer.hpp"

namespace amis::federation {
namespace {

bool is_wfs(const Node& node) { return node.kind == NodeKind::Wfs; }

// The node's OGC API root: its URL without "/collections..." (a landing page).
NodeUrl api_root(const Node& node) {
  NodeUrl base = parse_node_url(node.url);
  std::string path = base.path();
  if (const auto at = path.find("/collections"); at != std::string::npos) path.erase(at);
  while (!path.empty() && path.back() == '/') path.pop_back();
  base.target = path.empty() ? "/" : path;
  return base;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string bbox_text(const core::Envelope& e) {
  return number(e.min_x) + "," + number(e.min_y) + "," + number(e.max_x) + "," + number(e.max_y);
}

std::string interval_text(const core::TimeInterval& t) {
  if (t.start && t.end && *t.start == *t.end) return *t.start;
  return t.start.value_or("..") + "/" + t.end.value_or("..");
}

std::string sortby_text(const core::FeatureQuery& q, bool wfs) {
  std::string out;
  for (const auto& k : q.sortby) {
    if (!out.empty()) out += ",";
    out += wfs ? k.property + (k.descending ? " DESC" : " ASC") : (k.descending ? "-" : "+") + k.property;
  }
  return out;
}

void add(std::string& query, std::string_view key, std::string_view value) {
  if (!query.empty()) query += '&';
  query += key;
  query += '=';
  query += http::percent_encode(value);
}

std::string oapif_query(const core::FeatureQuery& q, std::int64_t limit, std::int64_t offset) {
  std::string query = "f=json";
  add(query, "limit", std::to_string(limit));
  if (offset > 0) add(query, "offset", std::to_string(offset));
  if (q.bbox) add(query, "bbox", bbox_text(*q.bbox));
  if (q.datetime) add(query, "datetime", interval_text(*q.datetime));
  for (const auto& e : q.equals) add(query, e.property, e.value);
  if (q.filter) {
    const auto text = query::to_cql2_json(*q.filter);
    if (!text)
      throw core::InvalidParameter("filter", "this filter cannot be forwarded to the node that holds the collection "
                                             "(a cascaded collection takes CQL2 filters only)");
    add(query, "filter", *text);
    add(query, "filter-lang", "cql2-json");
  }
  if (!q.sortby.empty()) add(query, "sortby", sortby_text(q, false));
  return query;
}

// GetFeature of a type in GeoJSON, or GML 3.2 for a node that offers no GeoJSON.
std::string get_feature(std::string_view source_id, bool gml) {
  std::string query = "service=WFS&version=2.0.0&request=GetFeature";
  add(query, "outputFormat", gml ? kGml32MediaType : "application/json");
  add(query, "typeNames", source_id);
  return query;
}

std::string wfs_query(std::string_view source_id, const core::FeatureQuery& q, std::int64_t limit,
                      std::int64_t offset, bool gml) {
  if (q.filter || !q.equals.empty() || q.datetime)
    throw core::InvalidParameter(q.filter ? "filter" : q.datetime ? "datetime" : q.equals.front().property,
                                 "a collection cascaded from a WFS takes only bbox, sortby and paging");
  std::string query = get_feature(source_id, gml);
  add(query, "count", std::to_string(limit));
  if (offset > 0) add(query, "startIndex", std::to_string(offset));
  if (q.bbox) add(query, "bbox", bbox_text(*q.bbox) + ",urn:ogc:def:crs:OGC:1.3:CRS84");
  if (!q.sortby.empty()) add(query, "sortBy", sortby_text(q, true));
  return query;
}

}  // namespace

bool publishable(NodeKind kind) {
  return kind == NodeKind::Amis || kind == NodeKind::Oapif || kind == NodeKind::Wfs || kind == NodeKind::Wms;
}

NodeUrl source_description_url(const Node& node, std::string_view source_id) {
  if (!publishable(node.kind) || node.kind == NodeKind::Wms)
    throw core::InvalidValue("node", "only OGC API - Features (amis, oapif) and WFS nodes can be published from");
  if (is_wfs(node)) return page_url(node, source_id, {}, 100, 0);
  return with_path(api_root(node), "/collections/" + http::percent_encode(source_id), "f=json");
}

NodeUrl page_url(const Node& node, std::string_view source_id, const core::FeatureQuery& q, std::int64_t limit,
                 std::int64_t offset, bool gml) {
  if (is_wfs(node)) {
    const NodeUrl base = parse_node_url(node.url);
    return with_path(base, "", wfs_query(source_id, q, limit, offset, gml));
  }
  return with_path(api_root(node), "/collections/" + http::percent_encode(source_id) + "/items",
                   oapif_query(q, limit, offset));
}

NodeUrl feature_url(const Node& node, std::string_view source_id, std::int64_t id, bool gml) {
  if (is_wfs(node)) {
    const NodeUrl base = parse_node_url(node.url);
    std::string query = get_feature(source_id, gml);
    add(query, "resourceId", std::string(source_id) + "." + std::to_string(id));
    return with_path(base, "", query);
  }
  return with_path(api_root(node),
                   "/collections/" + http::percent_encode(source_id) + "/items/" + std::to_string(id), "f=json");
}

}  // namespace amis::federation
