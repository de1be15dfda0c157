#include "api/records/records_federated.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <utility>

#include "api/records/records_documents.hpp"
#include "catalog/record_facets.hpp"
#include "core/error.hpp"
#include "encode/geojson_writer.hpp"
#include "encode/xml_text.hpp"

namespace amis::api::records {
namespace {

using nlohmann::json;

constexpr const char* kGeoJson = "application/geo+json";

// Parameters a node is not sent as they are: the page is asked anew, the answer's
// format is JSON, facets are counted here over the merged records.
bool kept_for_nodes(std::string_view name) {
  return name != "federated" && name != "hopCount" && name != "deadline" && name != "offset" && name != "limit" &&
         name != "f" && name != "facets";
}

// sortby in the ISO Application Profile's sortable queryables (SortBy=apiso:Title:A,...);
// empty when there is none or a key has no such queryable (a CSW node then sends its own order).
std::string csw_sort_by(const std::vector<core::SortKey>& sortby) {
  static const std::map<std::string_view, std::string_view> kApiso{
      {"title", "apiso:Title"},       {"type", "apiso:Type"},
      {"id", "apiso:Identifier"},     {"updated", "apiso:Modified"},
      {"language", "apiso:ResourceLanguage"}, {"created", "apiso:CreationDate"},
      {"published", "apiso:PublicationDate"}};
  std::string out;
  for (const auto& key : sortby) {
    const auto it = kApiso.find(key.property);
    if (it == kApiso.end()) return "";
    out += (out.empty() ? "" : ",") + std::string(it->second) + (key.descending ? ":D" : ":A");
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : "0";
}

// q (any of the terms) and bbox as an ogc:Filter 1.1 on csw:AnyText and ows:BoundingBox.
std::string csw_filter(const catalog::CatalogQuery& query) {
  std::vector<std::string> parts;
  if (!query.q.empty()) {
    std::string terms;
    for (const auto& term : query.q) {
      std::string literal = "%";
      for (char c : term) {
        if (c == '%' || c == '_' || c == '\\') literal += '\\';
        literal += c;
      }
      literal += '%';
      terms += "<ogc:PropertyIsLike wildCard=\"%\" singleChar=\"_\" escapeChar=\"\\\" matchCase=\"false\">"
               "<ogc:PropertyName>csw:AnyText</ogc:PropertyName><ogc:Literal>";
      encode::append_xml_text(terms, literal);
      terms += "</ogc:Literal></ogc:PropertyIsLike>";
    }
    parts.push_back(query.q.size() > 1 ? "<ogc:Or>" + terms + "</ogc:Or>" : terms);
  }
  if (query.bbox) {
    const auto& b = *query.bbox;
    // EPSG:4326 in its axis order (latitude first), as CSW 2.0.2 servers read it.
    parts.push_back("<ogc:BBOX><ogc:PropertyName>ows:BoundingBox</ogc:PropertyName>"
                    "<gml:Envelope srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:lowerCorner>" +
                    number(b.min_y) + " " + number(b.min_x) + "</gml:lowerCorner><gml:upperCorner>" + number(b.max_y) +
                    " " + number(b.max_x) + "</gml:upperCorner></gml:Envelope></ogc:BBOX>");
  }
  if (parts.empty()) return {};
  std::string body = parts.size() > 1 ? "<ogc:And>" + parts[0] + parts[1] + "</ogc:And>" : parts[0];
  return "<ogc:Filter xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:gml=\"http://www.opengis.net/gml\">" + body +
         "</ogc:Filter>";
}

class CollectingSink final : public store::RecordSink {
 public:
  void record(const catalog::Record& r) override { records.push_back(r); }
  std::vector<catalog::Record> records;
};

std::string page_query(const http::Request& request, std::int64_t offset) {
  std::string q;
  for (const auto& [name, value] : request.query) {
    if (name == "offset" || name == "f") continue;
    q += (q.empty() ? "?" : "&") + http::percent_encode(name) + "=" + http::percent_encode(value);
  }
  q += (q.empty() ? "?" : "&") + std::string("f=json");
  if (offset > 0) q += "&offset=" + std::to_string(offset);
  return q;
}

}  // namespace

std::optional<std::int64_t> parse_federated(const http::Request& request) {
  const auto federated = request.param("federated");
  const auto hop = request.param("hopCount");
  if (federated && *federated != "true" && *federated != "false")
    throw core::InvalidParameter("federated", "true or false is expected");
  if (!federated || *federated == "false") {
    if (hop) throw core::InvalidParameter("hopCount", "is taken with federated=true only");
    if (request.param("deadline")) throw core::InvalidParameter("deadline", "is taken with federated=true only");
    return std::nullopt;
  }
  if (!hop) return kDefaultHopCount;
  std::int64_t v = -1;
  auto [end, ec] = std::from_chars(hop->data(), hop->data() + hop->size(), v);
  if (ec != std::errc{} || end != hop->data() + hop->size() || v < 0 || v > kMaxHopCount)
    throw core::InvalidParameter("hopCount", "an integer from 0 to " + std::to_string(kMaxHopCount) + " is expected");
  return v;
}

federation::ForwardedSearch forward_records_search(const http::Request& request, const catalog::CatalogQuery& query,
                                                   std::int64_t hop_count, std::int64_t window) {
  federation::ForwardedSearch out;
  std::string q;
  for (const auto& [name, value] : request.query)
    if (kept_for_nodes(name)) q += http::percent_encode(name) + "=" + http::percent_encode(value) + "&";
  q += "f=json&limit=" + std::to_string(window);
  out.records.query = q;
  out.amis_records.query = hop_count - 1 >= 2 ? q + "&federated=true&hopCount=" + std::to_string(hop_count - 1) : q;
  out.amis_records.passes_deadline = hop_count - 1 >= 2;
  if (query.filter || query.datetime || !query.types.empty() || !query.ids.empty() || !query.external_ids.empty()) {
    out.csw.refusal = "only q and bbox are forwarded to CSW nodes (the search has filter, datetime, type or ids)";
    return out;
  }
  std::string csw = "service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results"
                    "&elementSetName=full&outputSchema=" + http::percent_encode("http://www.isotc211.org/2005/gmd") +
                    "&startPosition=1&maxRecords=" + std::to_string(window);
  if (const auto filter = csw_filter(query); !filter.empty())
    csw += "&constraintLanguage=FILTER&constraint_language_version=1.1.0&constraint=" + http::percent_encode(filter);
  if (const auto sort_by = csw_sort_by(query.sortby); !sort_by.empty()) csw += "&sortBy=" + http::percent_encode(sort_by);
  out.csw.query = csw;
  return out;
}

json federation_json(std::int64_t hop_count, const federation::DistributedSearch& search,
                     const std::vector<federation::NodeSearchResult>& nodes) {
  json list = json::array();
  for (const auto& n : nodes) {
    const auto& o = n.outcome;
    json entry{{"node", o.node},
               {"kind", federation::to_string(o.kind)},
               {"status", federation::to_string(o.status)},
               {"returned", o.returned},
               {"seconds", std::round(o.seconds * 1000) / 1000}};
    if (o.matched) entry["matched"] = *o.matched;
    if (o.unreadable) entry["unreadable"] = o.unreadable;
    if (!o.reason.empty()) entry["reason"] = o.reason;
    list.push_back(std::move(entry));
  }
  return {{"hopCount", hop_count},
          {"deadlineSeconds", static_cast<double>(search.options().deadline.count()) / 1000.0},
          {"nodes", std::move(list)}};
}

void federated_items(store::CatalogStore& catalog, federation::DistributedSearch& search, catalog::CatalogQuery query,
                     std::int64_t hop_count, const http::Request& request, const std::string& base,
                     http::Response& response) {
  const std::int64_t limit = query.limit.value_or(kMaxFederatedWindow);
  const std::int64_t offset = query.offset;
  const std::int64_t window = offset + limit;
  if (window > kMaxFederatedWindow)
    throw core::InvalidParameter("offset", "a distributed search pages within its first " +
                                               std::to_string(kMaxFederatedWindow) + " records (offset + limit)");
  std::unique_ptr<federation::PendingSearch> pending;
  const auto deadline = federation::parse_search_deadline(request.param("deadline"));
  if (hop_count >= 2) pending = search.start(forward_records_search(request, query, hop_count, window), deadline);
  query.limit = window;
  query.offset = 0;
  const auto facet_fields = std::exchange(query.facets, {});
  CollectingSink local;
  const auto summary = catalog.search(query, local);
  auto nodes = pending ? pending->wait() : std::vector<federation::NodeSearchResult>{};
  std::int64_t matched = summary.matched.value_or(static_cast<std::int64_t>(local.records.size()));
  for (const auto& n : nodes) matched += n.outcome.matched.value_or(n.outcome.returned);
  auto merged = federation::merge_records(std::move(local.records), nodes, query.sortby);
  matched = std::max<std::int64_t>(matched - merged.duplicates, static_cast<std::int64_t>(merged.records.size()));
  json features = json::array();
  for (std::int64_t i = offset; i < window && i < static_cast<std::int64_t>(merged.records.size()); ++i)
    features.push_back(record_json(merged.records[static_cast<std::size_t>(i)], base));
  const std::string items = catalog_path(base) + "/items";
  json links = json::array(
      {{{"href", items + page_query(request, offset)}, {"rel", "self"}, {"type", kGeoJson}, {"title", "This page"}},
       {{"href", catalog_path(base)}, {"rel", "collection"}, {"type", "application/json"}, {"title", "The catalogue"}}});
  if (offset > 0)
    links.push_back({{"href", items + page_query(request, std::max<std::int64_t>(0, offset - limit))},
                     {"rel", "prev"}, {"type", kGeoJson}, {"title", "Previous page"}});
  if (window < matched && window + limit <= kMaxFederatedWindow)
    links.push_back({{"href", items + page_query(request, window)}, {"rel", "next"}, {"type", kGeoJson}, {"title", "Next page"}});
  json doc{{"type", "FeatureCollection"},
           {"features", std::move(features)},
           {"numberMatched", matched},
           {"links", std::move(links)},
           {"timeStamp", encode::utc_timestamp()},
           {"federation", federation_json(hop_count, search, nodes)}};
  doc["numberReturned"] = doc["features"].size();
  if (!facet_fields.empty()) {
    // Counts over the records gathered: the first offset + limit of each source,
    // merged, each record once. Of every match when none had more (facetsOver ==
    // numberMatched); else of those records only, as facetsOver says.
    doc["facets"] = facets_json(catalog::count_facets(merged.records, facet_fields, query.facet_buckets));
    doc["federation"]["facetsOver"] = merged.records.size();
  }
  response.send(200, kGeoJson, doc.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace amis::api::records
