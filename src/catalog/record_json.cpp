#include "catalog/record_json.hpp"

#include "core/error.hpp"

namespace amis::catalog {

using nlohmann::json;

namespace {

void put_text(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) throw core::InvalidValue(key, std::string("'") + key + "' is not a string");
  return it->get<std::string>();
}

const json& array(const json& j, const char* key) {
  static const json empty = json::array();
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return empty;
  if (!it->is_array()) throw core::InvalidValue(key, std::string("'") + key + "' is not an array");
  return *it;
}

std::vector<std::string> texts(const json& j, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : array(j, key)) {
    if (!v.is_string()) throw core::InvalidValue(key, std::string("'") + key + "' holds a non-string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

json extent_json(const core::Envelope& e) { return json::array({e.min_x, e.min_y, e.max_x, e.max_y}); }

core::Envelope envelope_from(const json& j) {
  if (!j.is_array() || j.size() != 4 || !std::all_of(j.begin(), j.end(), [](const json& v) { return v.is_number(); }))
    throw core::InvalidValue("extent", "'extent' is [minx, miny, maxx, maxy]");
  return {j[0].get<double>(), j[1].get<double>(), j[2].get<double>(), j[3].get<double>()};
}

json links_json(const std::vector<Link>& links) {
  json out = json::array();
  for (const auto& l : links) {
    json o{{"href", l.href}};
    put_text(o, "rel", l.rel);
    put_text(o, "type", l.type);
    put_text(o, "protocol", l.protocol);
    put_text(o, "name", l.name);
    put_text(o, "title", l.title);
    put_text(o, "format", l.format);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Link> links_from(const json& j) {
  std::vector<Link> out;
  for (const auto& o : array(j, "links")) {
    if (!o.is_object()) throw core::InvalidValue("links", "a link is an object");
    out.push_back({text(o, "href"), text(o, "rel"), text(o, "type"), text(o, "protocol"), text(o, "name"),
                   text(o, "title"), text(o, "format")});
  }
  return out;
}

json parties_json(const std::vector<ResponsibleParty>& parties) {
  json out = json::array();
  for (const auto& p : parties) {
    json o{{"role", p.role}};
    put_text(o, "individual", p.individual);
    put_text(o, "organisation", p.organisation);
    put_text(o, "position", p.position);
    put_text(o, "email", p.email);
    put_text(o, "url", p.url);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<ResponsibleParty> parties_from(const json& j) {
  std::vector<ResponsibleParty> out;
  for (const auto& o : array(j, "contacts")) {
    if (!o.is_object()) throw core::InvalidValue("contacts", "a contact is an object");
    ResponsibleParty p{text(o, "individual"), text(o, "organisation"), text(o, "position"), text(o, "email"),
                       text(o, "url"), text(o, "role")};
    if (p.role.empty()) p.role = "pointOfContact";
    out.push_back(std::move(p));
  }
  return out;
}

json keywords_json(const std::vector<KeywordGroup>& groups) {
  json out = json::array();
  for (const auto& g : groups) {
    json o{{"keywords", g.keywords}};
    put_text(o, "thesaurus", g.thesaurus);
    put_text(o, "thesaurusUri", g.thesaurus_uri);
    put_text(o, "type", g.type);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<KeywordGroup> keywords_from(const json& j) {
  std::vector<KeywordGroup> out;
  for (const auto& o : array(j, "keywords")) {
    if (!o.is_object()) throw core::InvalidValue("keywords", "a keyword group is an object");
    out.push_back({texts(o, "keywords"), text(o, "thesaurus"), text(o, "thesaurusUri"), text(o, "type")});
  }
  return out;
}

json time_json(const core::TimeInterval& t) {
  return json::array({t.start ? json(*t.start) : json(nullptr), t.end ? json(*t.end) : json(nullptr)});
}

core::TimeInterval time_from(const json& j) {
  if (!j.is_array() || j.size() != 2) throw core::InvalidValue("time", "'time' is [start, end] (null: open)");
  core::TimeInterval t;
  if (j[0].is_string()) t.start = j[0].get<std::string>();
  if (j[1].is_string()) t.end = j[1].get<std::string>();
  return t;
}

}  // namespace

json to_json(const Record& r) {
  json j{{"id", r.id}, {"type", r.type}, {"title", r.title}, {"origin", std::string(to_string(r.origin))}};
  put_text(j, "abstract", r.abstract);
  if (!r.keywords.empty()) j["keywords"] = keywords_json(r.keywords);
  if (!r.topic_categories.empty()) j["topicCategories"] = r.topic_categories;
  if (!r.contacts.empty()) j["contacts"] = parties_json(r.contacts);
  put_text(j, "lineage", r.lineage);
  put_text(j, "licence", r.licence);
  if (!r.constraints.empty()) j["constraints"] = r.constraints;
  put_text(j, "attribution", r.attribution);
  if (r.extent) j["extent"] = extent_json(*r.extent);
  if (r.temporal_extent) j["time"] = time_json(*r.temporal_extent);
  put_text(j, "referenceSystem", r.reference_system);
  put_text(j, "updateFrequency", r.update_frequency);
  put_text(j, "language", r.language);
  if (!r.links.empty()) j["links"] = links_json(r.links);
  if (!r.external_ids.empty()) {
    json ids = json::array();
    for (const auto& e : r.external_ids) ids.push_back({{"scheme", e.scheme}, {"value", e.value}});
    j["externalIds"] = std::move(ids);
  }
  put_text(j, "parent", r.parent_id);
  put_text(j, "country", r.country);
  put_text(j, "created", r.created);
  put_text(j, "revised", r.revised);
  put_text(j, "published", r.published);
  put_text(j, "thumbnail", r.thumbnail);
  if (r.feature_count) j["featureCount"] = *r.feature_count;
  if (r.provenance) {
    const auto& p = *r.provenance;
    j["provenance"] = {{"sourceNode", p.source_node}, {"sourceId", p.source_id}, {"harvestedAt", p.harvested_at},
                       {"sourceModified", p.source_modified}};
  }
  put_text(j, "updated", r.updated);
  return j;
}

Record record_from_json(const json& j) {
  if (!j.is_object()) throw core::InvalidValue("record", "a record is a JSON object");
  Record r;
  r.id = text(j, "id");
  r.type = text(j, "type");
  if (r.type.empty()) r.type = "dataset";
  r.title = text(j, "title");
  if (auto o = text(j, "origin"); !o.empty()) r.origin = parse_record_origin(o);
  r.abstract = text(j, "abstract");
  r.keywords = keywords_from(j);
  r.topic_categories = texts(j, "topicCategories");
  r.contacts = parties_from(j);
  r.lineage = text(j, "lineage");
  r.licence = text(j, "licence");
  r.constraints = texts(j, "constraints");
  r.attribution = text(j, "attribution");
  if (auto it = j.find("extent"); it != j.end() && !it->is_null()) r.extent = envelope_from(*it);
  if (auto it = j.find("time"); it != j.end() && !it->is_null()) r.temporal_extent = time_from(*it);
  r.reference_system = text(j, "referenceSystem");
  r.update_frequency = text(j, "updateFrequency");
  r.language = text(j, "language");
  r.links = links_from(j);
  for (const auto& o : array(j, "externalIds")) {
    if (!o.is_object()) throw core::InvalidValue("externalIds", "an external id is an object");
    r.external_ids.push_back({text(o, "scheme"), text(o, "value")});
  }
  r.parent_id = text(j, "parent");
  r.country = text(j, "country");
  r.created = text(j, "created");
  r.revised = text(j, "revised");
  r.published = text(j, "published");
  r.thumbnail = text(j, "thumbnail");
  if (auto it = j.find("featureCount"); it != j.end() && it->is_number_integer())
    r.feature_count = it->get<std::int64_t>();
  if (auto it = j.find("provenance"); it != j.end() && it->is_object())
    r.provenance = Provenance{text(*it, "sourceNode"), text(*it, "sourceId"), text(*it, "harvestedAt"),
                              text(*it, "sourceModified")};
  r.updated = text(j, "updated");
  return r;
}

}  // namespace amis::catalog
