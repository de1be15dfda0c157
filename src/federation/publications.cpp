#include "federation/publications.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/error.hpp"
#include "encode/geojson_writer.hpp"  // utc_timestamp
#include "federation/cascade_request.hpp"
#include "federation/collection_json.hpp"
#include "federation/capabilities_reader.hpp"
#include "federation/gml_page.hpp"
#include "federation/remote_page.hpp"
#include "federation/wms_cascade.hpp"
#include "store/collection_id.hpp"

namespace amis::federation {
namespace {

using json = nlohmann::json;

// A fetch for publishing, its failure as the protocol's error.
std::string fetch(NodeClient& client, const Node& node, const NodeUrl& url) {
  try {
    return client.get(url, "application/geo+json, application/json");
  } catch (const FetchFailed& e) {
    if (e.status() == 404) throw core::NotFound("the national node '" + node.name + "' has no such collection");
    if (e.timed_out()) throw core::GatewayTimeout("the national node '" + node.name + "' did not answer in time");
    throw core::BadGateway("the national node '" + node.name + "' could not be read: " + e.what());
  }
}

void describe_from_collection_document(const std::string& text, core::Collection& c) {
  const json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) return;
  if (auto t = doc.find("title"); t != doc.end() && t->is_string()) c.title = t->get<std::string>();
  if (auto d = doc.find("description"); d != doc.end() && d->is_string()) c.description = d->get<std::string>();
  if (auto k = doc.find("keywords"); k != doc.end() && k->is_array())
    for (const auto& w : *k)
      if (w.is_string() && c.keywords.size() < 50) c.keywords.push_back(w.get<std::string>());
  const json* bbox = nullptr;
  if (auto e = doc.find("extent"); e != doc.end() && e->is_object())
    if (auto s = e->find("spatial"); s != e->end() && s->is_object())
      if (auto b = s->find("bbox"); b != s->end() && b->is_array() && !b->empty() && (*b)[0].is_array())
        bbox = &(*b)[0];
  if (bbox && bbox->size() == 4 && std::all_of(bbox->begin(), bbox->end(), [](const json& v) { return v.is_number(); })) {
    core::Envelope env;
    env.min_x = (*bbox)[0].get<double>();
    env.min_y = (*bbox)[1].get<double>();
    env.max_x = (*bbox)[2].get<double>();
    env.max_y = (*bbox)[3].get<double>();
    c.extent = env;
  }
}

// A WMS layer as the node's capabilities describe it (title, abstract, keywords, extent).
void describe_wms_layer(NodeClient& client, const Node& node, const std::string& layer, core::Collection& c) {
  const NodeUrl url = wms_request_url(node, "SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0");
  SourcePage page;
  try {
    page = read_wms_capabilities(client.get(url, "application/xml, text/xml"), url.origin() + url.path());
  } catch (const FetchFailed& e) {
    if (e.timed_out()) throw core::GatewayTimeout("the national node '" + node.name + "' did not answer in time");
    throw core::BadGateway("the national node '" + node.name + "' could not be read: " + e.what());
  } catch (const core::OgcError& e) {
    throw core::BadGateway("the national node '" + node.name + "' sent what cannot be read: " + e.what());
  }
  for (const auto& item : page.items) {
    if (item.source_id != layer) continue;
    const auto r = item.read();
    c.title = r.title;
    c.description = r.abstract;
    c.keywords = r.all_keywords();
    c.extent = r.extent;
    return;
  }
  throw core::NotFound("the national node '" + node.name + "' no longer has a layer '" + layer.substr(0, 64) + "'");
}

}  // namespace

core::Collection Publications::describe(const Node& node, const std::string& source_id, bool& gml) {
  NodeClient client(node, getter_, options_.limits);
  core::Collection c;
  c.title = source_id;
  c.attribution = "National node " + node.name + " (" + node.country + ")";
  if (node.kind == NodeKind::Wms) {  // drawn by the node: no features, no schema
    describe_wms_layer(client, node, source_id, c);
    return c;
  }
  if (node.kind != NodeKind::Wfs)
    describe_from_collection_document(fetch(client, node, source_description_url(node, source_id)), c);
  try {
    const std::string first = fetch(client, node, page_url(node, source_id, {}, 100, 0));
    try {
      infer_schema(first, c);
    } catch (const core::OgcError& e) {
      throw core::BadGateway("the national node '" + node.name + "' sent what cannot be read: " + e.what());
    }
  } catch (const core::BadGateway& e) {
    if (node.kind != NodeKind::Wfs) throw;
    // A WFS that offers no GeoJSON (it refuses the outputFormat): its pages are read in GML 3.2.
    spdlog::info("federation: node '{}' sends no GeoJSON for '{}' ({}): GML is read", node.name, source_id, e.what());
    const std::string first = fetch(client, node, page_url(node, source_id, {}, 100, 0, true));
    try {
      infer_gml_schema(first, c);
    } catch (const core::OgcError& g) {
      throw core::BadGateway("the national node '" + node.name + "' sent neither GeoJSON nor GML that can be read: " +
                             g.what());
    }
    gml = true;
  }
  return c;
}

Publication Publications::publish(const std::string& node_name, const std::string& source_id,
                                  const std::string& collection, PublishMode mode) {
  const auto node = nodes_.node(node_name);
  if (!node) throw core::NotFound("no node '" + node_name.substr(0, 64) + "'");
  if (!publishable(node->kind))
    throw core::InvalidValue("node", "only OGC API - Features (amis, oapif), WFS and WMS nodes can be published from");
  if (node->kind == NodeKind::Wms && mode == PublishMode::Mirror)
    throw core::InvalidValue("mode", "a WMS layer is cascaded (drawn by its node), not mirrored");
  if (source_id.empty() || source_id.size() > 256) throw core::InvalidValue("sourceId", "the source id is 1..256 characters");
  if (!store::valid_collection_id(collection) || collection.size() > 63)
    throw core::InvalidValue("collection", "a collection id is a letter then up to 63 letters, digits, _ or -");
  if (node->kind != NodeKind::Amis) {  // a harvested collection or feature type of the node
    const auto harvested = nodes_.harvested(node->name);
    if (std::none_of(harvested.begin(), harvested.end(), [&](const auto& e) { return e.source_id == source_id; }))
      throw core::NotFound("the node '" + node->name + "' listed no '" + source_id.substr(0, 64) +
                           "' at its last harvest: harvest it first");
  }
  if (store_.collection(collection) || nodes_.publication(collection))
    throw core::Conflict("collection '" + collection + "' exists");
  bool gml = false;
  core::Collection c = describe(*node, source_id, gml);
  c.id = collection;
  Publication p;
  p.collection = collection;
  p.node = node->name;
  p.source_id = source_id;
  p.mode = mode;
  p.metadata = gml ? with_gml_pages(collection_json(c)) : collection_json(c);
  p.created = encode::utc_timestamp();
  nodes_.add_publication(p);
  spdlog::info("federation: '{}' of node '{}' published as collection '{}' ({})", source_id, node->name, collection,
               to_string(mode));
  if (mode == PublishMode::Mirror) {
    const auto report = sync(collection);
    if (!report.error.empty()) {
      nodes_.remove_publication(collection);
      if (store_.collection(collection)) store_.remove_collection(collection);
      throw core::BadGateway("the first copy of the mirror failed: " + report.error);
    }
  }
  if (changed_) changed_();
  return get(collection);
}

Publication Publications::get(const std::string& collection) {
  auto p = nodes_.publication(collection);
  if (!p) throw core::NotFound("no published collection '" + collection.substr(0, 64) + "'");
  return *p;
}

void Publications::withdraw(const std::string& collection) {
  const auto p = get(collection);
  if (p.mode == PublishMode::Mirror && store_.collection(collection)) store_.remove_collection(collection);
  nodes_.remove_publication(collection);
  spdlog::info("federation: collection '{}' of node '{}' withdrawn", collection, p.node);
  if (changed_) changed_();
}

std::vector<MirrorReport> Publications::sync_node(const std::string& node) {
  std::vector<MirrorReport> out;
  for (const auto& p : nodes_.publications())
    if (p.node == node && p.mode == PublishMode::Mirror) out.push_back(sync(p.collection));
  return out;
}

json publication_json(const Publication& p) {
  return {{"collection", p.collection}, {"node", p.node},         {"sourceId", p.source_id},
          {"mode", to_string(p.mode)},  {"created", p.created},   {"synced", p.synced.empty() ? json(nullptr) : json(p.synced)},
          {"lastError", p.last_error.empty() ? json(nullptr) : json(p.last_error)}};
}

json mirror_report_json(const MirrorReport& r) {
  json doc = {{"collection", r.collection}, {"node", r.node},       {"seen", r.seen},
              {"added", r.added},           {"updated", r.updated}, {"deleted", r.deleted},
              {"unchanged", r.unchanged},   {"seconds", r.seconds}};
  doc["changeSet"] = r.change_set ? json(r.change_set) : json(nullptr);
  doc["error"] = r.error.empty() ? json(nullptr) : json(r.error);
  return doc;
}

}  // namespace amis::federation
