#include "api/records/records_documents.hpp"

#include "catalog/queryables.hpp"
#include "encode/iso19139_writer.hpp"
#include "http/request.hpp"

namespace amis::api::records {

using nlohmann::json;

namespace {

constexpr const char* kSpec = "http://www.opengis.net/spec/ogcapi-records-1/1.0/";

json link(const std::string& href, const std::string& rel, const std::string& type, const std::string& title) {
  json l{{"href", href}, {"rel", rel}};
  if (!type.empty()) l["type"] = type;
  if (!title.empty()) l["title"] = title;
  return l;
}

// RFC 5646 tags of the ISO 639-2 codes the region's records use.
constexpr std::pair<const char*, const char*> kLanguageTags[] = {
    {"eng", "en"}, {"ind", "id"}, {"msa", "ms"}, {"may", "ms"}, {"tha", "th"}, {"vie", "vi"}, {"fil", "fil"},
    {"mya", "my"}, {"bur", "my"}, {"khm", "km"}, {"lao", "lo"}, {"zho", "zh"}, {"chi", "zh"}, {"jpn", "ja"},
    {"kor", "ko"}};

std::string language_tag(const std::string& iso639_2) {
  for (const auto& [code, tag] : kLanguageTags)
    if (iso639_2 == code) return tag;
  return iso639_2;
}

}  // namespace

std::string iso639_2_of(const std::string& tag) {
  for (const auto& [code, t] : kLanguageTags)
    if (tag == t) return code;
  return tag;
}

namespace {

json geometry(const core::Envelope& e) {
  return {{"type", "Polygon"},
          {"coordinates",
           json::array({json::array({json::array({e.min_x, e.min_y}), json::array({e.max_x, e.min_y}),
                                     json::array({e.max_x, e.max_y}), json::array({e.min_x, e.max_y}),
                                     json::array({e.min_x, e.min_y})})})}};
}

// Records `time` wants dates or UTC timestamps; AMIS keeps both.
json time_bound(const std::optional<std::string>& t) {
  if (!t) return "..";
  return *t;
}

json themes(const catalog::Record& r) {
  json out = json::array();
  if (!r.topic_categories.empty()) {
    json concepts = json::array();
    for (const auto& t : r.topic_categories) concepts.push_back({{"id", t}});
    out.push_back({{"concepts", concepts},
                   {"scheme", kTopicCategoryScheme}});
  }
  for (const auto& g : r.keywords) {
    if (g.thesaurus.empty() || g.keywords.empty()) continue;
    json concepts = json::array();
    for (const auto& k : g.keywords) concepts.push_back({{"id", k}});
    out.push_back({{"concepts", concepts}, {"scheme", g.thesaurus_uri.empty() ? g.thesaurus : g.thesaurus_uri}});
  }
  return out;
}

json contacts(const catalog::Record& r) {
  json out = json::array();
  for (const auto& p : r.contacts) {
    json c{{"roles", json::array({p.role})}};
    if (!p.individual.empty()) c["name"] = p.individual;
    if (!p.organisation.empty()) c["organization"] = p.organisation;
    if (!p.position.empty()) c["position"] = p.position;
    if (!p.email.empty()) c["emails"] = json::array({{{"value", p.email}}});
    if (!p.url.empty()) c["links"] = json::array({link(p.url, "about", "text/html", "")});
    if (!c.contains("name") && !c.contains("organization")) c["organization"] = "unknown";
    out.push_back(std::move(c));
  }
  return out;
}

json formats(const catalog::Record& r) {
  json out = json::array();
  for (const auto& f : r.formats()) {
    json o{{"name", f}};
    for (const auto& l : r.links)
      if (l.format == f && !l.type.empty()) {
        o["mediaType"] = l.type;
        break;
      }
    out.push_back(std::move(o));
  }
  return out;
}

// RFC 3339 date-time for `updated`/`created` (a date alone becomes its midnight).
std::string date_time(const std::string& d) { return d.size() == 10 ? d + "T00:00:00Z" : d; }

json properties(const catalog::Record& r) {
  json p{{"type", r.type}, {"title", r.title}, {"description", r.abstract}};
  const auto keywords = r.all_keywords();
  if (!keywords.empty()) p["keywords"] = keywords;
  if (auto t = themes(r); !t.empty()) p["themes"] = std::move(t);
  if (!r.language.empty()) p["language"] = {{"code", language_tag(r.language)}};
  if (!r.external_ids.empty()) {
    json ids = json::array();
    for (const auto& e : r.external_ids) {
      json o{{"value", e.value}};
      if (!e.scheme.empty()) o["scheme"] = e.scheme;
      ids.push_back(std::move(o));
    }
    p["externalIds"] = std::move(ids);
  }
  if (auto f = formats(r); !f.empty()) p["formats"] = std::move(f);
  if (auto c = contacts(r); !c.empty()) p["contacts"] = std::move(c);
  if (!r.licence.empty()) p["license"] = r.licence;
  if (!r.attribution.empty()) p["rights"] = r.attribution;
  if (!r.created.empty()) p["created"] = date_time(r.created);
  if (!r.updated.empty()) p["updated"] = date_time(r.updated);
  // AMIS's ISO 19115 elements beyond the record core.
  if (!r.published.empty()) p["published"] = r.published;
  if (!r.revised.empty()) p["revised"] = r.revised;
  if (!r.country.empty()) p["country"] = r.country;
  if (!r.lineage.empty()) p["lineage"] = r.lineage;
  if (!r.update_frequency.empty()) p["updateFrequency"] = r.update_frequency;
  if (!r.reference_system.empty()) p["referenceSystem"] = r.reference_system;
  if (!r.parent_id.empty()) p["parent"] = r.parent_id;
  if (r.feature_count) p["featureCount"] = *r.feature_count;
  if (!r.constraints.empty()) p["constraints"] = r.constraints;
  p["origin"] = std::string(catalog::to_string(r.origin));
  if (r.provenance) {
    const auto& v = *r.provenance;
    p["provenance"] = {{"sourceNode", v.source_node}, {"sourceId", v.source_id}, {"harvestedAt", v.harvested_at},
                       {"sourceModified", v.source_modified}};
  }
  return p;
}

}  // namespace

const std::vector<std::string>& records_conformance_classes() {
  static const std::vector<std::string> classes = [] {
    std::vector<std::string> out;
    for (const char* c : {"core",  // the drafts' single class, which older clients look for
                          "record-core", "record-collection", "record-core-query-parameters", "records-api",
                          "sorting", "cql-filter", "json", "html", "oas30", "searchable-catalog",
                          // the main text's spelling and the test annex's of the same classes
                          "searchable-catalog-sorting", "searchable-catalog-filtering", "searchable-catalog/sorting",
                          "searchable-catalog/filtering"})
      out.push_back(std::string(kSpec) + "conf/" + c);
    return out;
  }();
  return classes;
}

std::string catalog_path(const std::string& base) { return base + "/collections/" + kCatalogId; }

std::string record_path(const std::string& base, const std::string& id) {
  return catalog_path(base) + "/items/" + http::percent_encode(id);
}

json record_json(const catalog::Record& r, const std::string& base) {
  const std::string self = record_path(base, r.id);
  json links = json::array({link(self + "?f=json", "self", "application/geo+json", "This record"),
                            link(self + "?f=html", "alternate", "text/html", "This record as HTML"),
                            link(self + "?f=xml", "alternate", "application/xml", "This record as ISO 19139"),
                            link(catalog_path(base), "collection", "application/json", "The catalogue")});
  if (!r.parent_id.empty()) links.push_back(link(record_path(base, r.parent_id), "up", "application/geo+json", "Parent record"));
  if (!r.thumbnail.empty())
    links.push_back(link(encode::resolve_href(r.thumbnail, base), "preview", "image/png", "Thumbnail"));
  if (!r.licence.empty() && (r.licence.starts_with("http://") || r.licence.starts_with("https://")))
    links.push_back(link(r.licence, "license", "", "Licence"));
  for (const auto& l : r.links) {
    json o = link(encode::resolve_href(l.href, base), l.rel.empty() ? "related" : l.rel, l.type,
                  l.title.empty() ? l.name : l.title);
    if (!l.protocol.empty()) o["protocol"] = l.protocol;  // as pycsw and GeoNetwork give it
    if (!l.name.empty()) o["name"] = l.name;
    links.push_back(std::move(o));
  }
  json doc{{"id", r.id},
           {"type", "Feature"},
           {"conformsTo", json::array({std::string(kSpec) + "req/record-core"})},
           {"geometry", r.extent ? geometry(*r.extent) : json(nullptr)},
           {"properties", properties(r)},
           {"links", std::move(links)}};
  if (r.temporal_extent)
    doc["time"] = {{"interval", json::array({time_bound(r.temporal_extent->start), time_bound(r.temporal_extent->end)})}};
  else
    doc["time"] = nullptr;
  return doc;
}

json catalog_json(const std::string& base, const std::string& title, const std::string& description,
                  std::int64_t records) {
  const std::string href = catalog_path(base);
  return {{"id", kCatalogId},
          {"type", "Collection"},
          {"itemType", "record"},
          {"title", title},
          {"description", description + " (" + std::to_string(records) + " records)"},
          {"keywords", json::array({"catalogue", "metadata", "ISO 19115", "minerals", "ASEAN"})},
          {"conformsTo", json::array({std::string(kSpec) + "req/record-core"})},
          {"extent", {{"spatial", {{"bbox", json::array({json::array({-180, -90, 180, 90})})},
                                   {"crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}}}},
          {"links",
           json::array({link(href + "?f=json", "self", "application/json", "This catalogue"),
                        link(href + "?f=html", "alternate", "text/html", "This catalogue as HTML"),
                        link(href + "/items", "items", "application/geo+json", "The records"),
                        link(href + "/items?f=html", "items", "text/html", "The records as HTML"),
                        link(href + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                             "application/schema+json", "Queryables"),
                        link(href + "/sortables", "http://www.opengis.net/def/rel/ogc/1.0/sortables",
                             "application/schema+json", "Sortables")})}};
}

namespace {

json queryable_schema(const catalog::Queryable& q) {
  json s{{"title", std::string(q.title)}};
  switch (q.type) {
    case catalog::QueryableType::Text: s["type"] = "string"; break;
    case catalog::QueryableType::TextList: s["type"] = "array"; s["items"] = {{"type", "string"}}; break;
    case catalog::QueryableType::DateTime: s["type"] = "string"; s["format"] = "date-time"; break;
    case catalog::QueryableType::Integer: s["type"] = "integer"; break;
    case catalog::QueryableType::Extent:
      s["format"] = "geometry-polygon";
      s["$ref"] = "https://geojson.org/schema/Polygon.json";
      break;
  }
  if (q.name == "type") s["enum"] = json(std::vector<std::string>(std::begin(catalog::kResourceTypes), std::end(catalog::kResourceTypes)));
  if (q.name == "datetime") {
    s.erase("format");
    s.erase("type");
    s["format"] = "interval";
    s["type"] = "array";
    s["items"] = {{"type", "string"}};
  }
  return s;
}

json schema_document(const std::string& id, const std::string& title, bool sortables_only) {
  json props = json::object();
  for (const auto& q : catalog::queryables())
    if (!sortables_only || q.sortable) props[std::string(q.name)] = queryable_schema(q);
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", id},
          {"type", "object"},
          {"title", title},
          {"properties", std::move(props)},
          {"additionalProperties", false}};
}

}  // namespace

json catalog_queryables_json(const std::string& base) {
  return schema_document(catalog_path(base) + "/queryables", "Queryables of the AMIS catalogue", false);
}

json catalog_sortables_json(const std::string& base) {
  return schema_document(catalog_path(base) + "/sortables", "Sortables of the AMIS catalogue", true);
}

json facets_json(const std::vector<catalog::Facet>& facets) {
  json out = json::object();
  for (const auto& f : facets) {
    json buckets = json::array();
    for (const auto& b : f.buckets) buckets.push_back({{"value", b.value}, {"count", b.count}});
    out[std::string(catalog::to_string(f.field))] = {{"type", "terms"}, {"property", std::string(catalog::to_string(f.field))},
                                                     {"buckets", std::move(buckets)}};
  }
  return out;
}

}  // namespace amis::api::records
