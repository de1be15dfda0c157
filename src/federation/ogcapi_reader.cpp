#include "federation/ogcapi_reader.hpp"

#include <cmath>

#include <simdjson.h>

#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::federation {
namespace {

using nlohmann::json;

std::string text_of(const json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) return {};
  if (!it->is_string()) throw core::InvalidValue(name, std::string("'") + name + "' is not a string");
  return it->get<std::string>();
}

std::string instant_of(const json& doc, const char* name) {
  return core::parse_instant(text_of(doc, name)).value_or("");
}

std::vector<std::string> strings_of(const json& doc, const char* name) {
  std::vector<std::string> out;
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// A bbox [minx, miny, maxx, maxy] in CRS84, when it is one.
std::optional<core::Envelope> envelope_of(const json& box) {
  if (!box.is_array() || (box.size() != 4 && box.size() != 6)) return std::nullopt;
  for (const auto& v : box)
    if (!v.is_number() || !std::isfinite(v.get<double>())) return std::nullopt;
  const std::size_t half = box.size() / 2;
  core::Envelope e{box[0].get<double>(), box[1].get<double>(), box[half].get<double>(), box[half + 1].get<double>()};
  if (e.min_x < -180 || e.max_x > 180 || e.min_y < -90 || e.max_y > 90 || e.empty()) return std::nullopt;
  return e;
}

// The envelope of a GeoJSON geometry's coordinates (records carry polygons).
void extend(const json& coordinates, std::optional<core::Envelope>& e, int depth = 0) {
  if (!coordinates.is_array() || depth > 8) return;
  if (coordinates.size() >= 2 && coordinates[0].is_number() && coordinates[1].is_number()) {
    const double x = coordinates[0].get<double>(), y = coordinates[1].get<double>();
    if (!std::isfinite(x) || !std::isfinite(y)) return;
    if (!e) e = core::Envelope{};
    e->expand(x, y);
    return;
  }
  for (const auto& c : coordinates) extend(c, e, depth + 1);
}

std::optional<core::TimeInterval> interval_of(const json& pair) {
  if (!pair.is_array() || pair.size() != 2) return std::nullopt;
  core::TimeInterval t;
  if (pair[0].is_string()) t.start = core::parse_instant(pair[0].get<std::string>());
  if (pair[1].is_string()) t.end = core::parse_instant(pair[1].get<std::string>());
  if (!t.start && !t.end) return std::nullopt;
  return t;
}

std::vector<catalog::Link> links_of(const json& doc) {
  std::vector<catalog::Link> out;
  auto it = doc.find("links");
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& l : *it) {
    if (!l.is_object()) continue;
    catalog::Link link{text_of(l, "href"), text_of(l, "rel"), text_of(l, "type"), text_of(l, "protocol"),
                       text_of(l, "name"), text_of(l, "title"), {}};
    // The record's own links (self, alternate, collection) point back into the node's catalogue.
    if (link.href.empty() || link.rel == "self" || link.rel == "alternate" || link.rel == "collection" ||
        link.rel == "root" || link.rel == "up")
      continue;
    out.push_back(std::move(link));
  }
  return out;
}

void take_themes(const json& properties, catalog::Record& r) {
  auto it = properties.find("themes");
  if (it == properties.end() || !it->is_array()) return;
  for (const auto& theme : *it) {
    if (!theme.is_object() || !theme.contains("concepts") || !theme["concepts"].is_array()) continue;
    const std::string scheme = text_of(theme, "scheme");
    std::vector<std::string> ids;
    for (const auto& c : theme["concepts"])
      if (c.is_object() && c.contains("id") && c["id"].is_string()) ids.push_back(c["id"].get<std::string>());
    if (scheme.find("MD_TopicCategoryCode") != std::string::npos) {
      r.topic_categories = ids;
    } else if (!ids.empty()) {
      r.keywords.push_back({ids, scheme, scheme.starts_with("http") ? scheme : "", "theme"});
    }
  }
}

void take_contacts(const json& properties, catalog::Record& r) {
  auto it = properties.find("contacts");
  if (it == properties.end() || !it->is_array()) return;
  for (const auto& c : *it) {
    if (!c.is_object()) continue;
    catalog::ResponsibleParty p;
    p.individual = text_of(c, "name");
    p.organisation = text_of(c, "organization");
    p.position = text_of(c, "position");
    if (auto e = c.find("emails"); e != c.end() && e->is_array() && !e->empty() && (*e)[0].is_object())
      p.email = text_of((*e)[0], "value");
    for (const auto& role : strings_of(c, "roles"))
      if (catalog::is_party_role(role)) p.role = role;
    r.contacts.push_back(std::move(p));
  }
}

}  // namespace

json read_json_document(std::string_view text) {
  if (text.size() > kMaxOgcApiPageBytes) throw core::ParsingFailed("page", "the JSON document is too large");
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw core::ParsingFailed("page", "the answer is not a JSON object");
  return doc;
}

catalog::Record record_from_ogcapi(const json& feature) {
  if (!feature.is_object()) throw core::InvalidValue("record", "a record is a JSON object");
  catalog::Record r;
  const auto id = feature.find("id");
  if (id != feature.end() && id->is_string()) r.id = id->get<std::string>();
  else if (id != feature.end() && id->is_number_integer()) r.id = std::to_string(id->get<std::int64_t>());
  if (r.id.empty()) throw core::InvalidValue("id", "the record has no id");
  const auto pit = feature.find("properties");
  if (pit == feature.end() || !pit->is_object()) throw core::InvalidValue("properties", "the record has no properties");
  const json& p = *pit;
  r.title = text_of(p, "title");
  r.abstract = text_of(p, "description");
  if (auto type = text_of(p, "type"); catalog::is_resource_type(type)) r.type = type;
  if (auto keywords = strings_of(p, "keywords"); !keywords.empty()) r.keywords.push_back({keywords, {}, {}, {}});
  take_themes(p, r);
  take_contacts(p, r);
  r.licence = text_of(p, "license");
  r.attribution = text_of(p, "rights");
  r.created = instant_of(p, "created");
  r.revised = instant_of(p, "revised");
  r.published = instant_of(p, "published");
  r.updated = instant_of(p, "updated");
  r.lineage = text_of(p, "lineage");
  r.update_frequency = text_of(p, "updateFrequency");
  r.reference_system = text_of(p, "referenceSystem");
  r.constraints = strings_of(p, "constraints");
  if (auto c = text_of(p, "country"); c.size() == 3) r.country = c;
  if (auto f = p.find("featureCount"); f != p.end() && f->is_number_integer()) r.feature_count = f->get<std::int64_t>();
  if (auto it = feature.find("geometry"); it != feature.end() && it->is_object() && it->contains("coordinates"))
    extend((*it)["coordinates"], r.extent);
  if (r.extent) r.extent = envelope_of(json::array({r.extent->min_x, r.extent->min_y, r.extent->max_x, r.extent->max_y}));
  if (auto t = feature.find("time"); t != feature.end() && t->is_object() && t->contains("interval"))
    r.temporal_extent = interval_of((*t)["interval"]);
  r.links = links_of(feature);
  return r;
}

namespace {

std::string_view string_or_empty(simdjson::simdjson_result<simdjson::dom::element> value) {
  std::string_view out;
  if (value.get(out) != simdjson::SUCCESS) return {};
  return out;
}

// A record's id as nlohmann's dump gives it: a string as it is, an integer in decimal.
std::string id_of(const simdjson::dom::element& record) {
  simdjson::dom::element id;
  if (record["id"].get(id) != simdjson::SUCCESS) return {};
  if (id.is_string()) return std::string(id.get_string().value_unsafe());
  if (id.is_int64()) return std::to_string(id.get_int64().value_unsafe());
  if (id.is_uint64()) return std::to_string(id.get_uint64().value_unsafe());
  return {};
}

}  // namespace

// Pages are large (500 records, megabytes): simdjson reads them at gigabytes per
// second, and a record is made into an nlohmann tree only when it is new or changed.
RecordsPage read_records_page(std::string_view text) {
  if (text.size() > kMaxOgcApiPageBytes) throw core::ParsingFailed("page", "the JSON document is too large");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS || !doc.is_object())
    throw core::ParsingFailed("page", "the answer is not a JSON object");
  simdjson::dom::array features;
  if (string_or_empty(doc["type"]) != "FeatureCollection" || doc["features"].get(features) != simdjson::SUCCESS)
    throw core::ParsingFailed("page", "the answer is no GeoJSON FeatureCollection of records");
  RecordsPage out;
  std::int64_t position = 0;
  for (const auto record : features) {
    ++position;
    SourceItem item;
    if (record.is_object()) item.source_id = id_of(record);
    if (item.source_id.empty()) {
      out.page.failures.push_back({"record " + std::to_string(position), "a record without an id"});
      continue;
    }
    item.source_modified = core::parse_instant(string_or_empty(record["properties"]["updated"])).value_or("");
    // The record as the node sent it, minified: an unchanged record is the same text.
    std::string minified = simdjson::minify(record);
    item.digest = content_digest(minified);
    item.read = [minified = std::move(minified)] { return record_from_ogcapi(json::parse(minified)); };
    out.page.items.push_back(std::move(item));
  }
  simdjson::dom::array links;
  if (doc["links"].get(links) == simdjson::SUCCESS)
    for (const auto link : links)
      if (string_or_empty(link["rel"]) == "next") out.next = string_or_empty(link["href"]);
  return out;
}

SourcePage read_features_collections(std::string_view text, std::string_view collections_url) {
  const json doc = read_json_document(text);
  const auto collections = doc.find("collections");
  if (collections == doc.end() || !collections->is_array())
    throw core::ParsingFailed("page", "the answer has no \"collections\" array");
  SourcePage out;
  for (const auto& c : *collections) {
    if (!c.is_object() || !c.contains("id") || !c["id"].is_string()) {
      out.failures.push_back({"collection", "a collection without an id"});
      continue;
    }
    if (c.value("itemType", json("feature")) == "record") continue;
    SourceItem item;
    item.source_id = c["id"].get<std::string>();
    item.digest = content_digest(c.dump(-1, ' ', false, json::error_handler_t::replace));
    item.read = [c, base = std::string(collections_url)] {
      catalog::Record r;
      r.id = c["id"].get<std::string>();
      r.type = "dataset";
      r.title = text_of(c, "title");
      if (r.title.empty()) r.title = r.id;
      r.abstract = text_of(c, "description");
      if (auto k = strings_of(c, "keywords"); !k.empty()) r.keywords.push_back({k, {}, {}, {}});
      if (auto e = c.find("extent"); e != c.end() && e->is_object()) {
        const json& extent = *e;
        if (extent.contains("spatial") && extent["spatial"].is_object() && extent["spatial"].contains("bbox") &&
            extent["spatial"]["bbox"].is_array() && !extent["spatial"]["bbox"].empty())
          r.extent = envelope_of(extent["spatial"]["bbox"][0]);
        if (extent.contains("temporal") && extent["temporal"].is_object() && extent["temporal"].contains("interval") &&
            extent["temporal"]["interval"].is_array() && !extent["temporal"]["interval"].empty())
          r.temporal_extent = interval_of(extent["temporal"]["interval"][0]);
      }
      std::string items;
      for (const auto& l : links_of(c))
        if (l.rel == "items" && (l.type.empty() || l.type == "application/geo+json")) items = l.href;
      if (items.empty()) items = std::string(base) + "/" + r.id + "/items";
      r.links.push_back({items, "item", "application/geo+json", "OGC API - Features", r.id, r.title, "GeoJSON"});
      return r;
    };
    out.items.push_back(std::move(item));
  }
  return out;
}

std::string collections_href(std::string_view landing) {
  const json doc = read_json_document(landing);
  if (auto links = doc.find("links"); links != doc.end() && links->is_array())
    for (const auto& l : *links)
      if (l.is_object() && l.contains("href") && l["href"].is_string()) {
        const auto rel = l.value("rel", json());
        if (rel == "data" || rel == "http://www.opengis.net/def/rel/ogc/1.0/data") {
          const auto type = l.value("type", json("application/json"));
          if (type == "application/json" || type.is_null()) return l["href"].get<std::string>();
        }
      }
  return {};
}

}  // namespace amis::federation
