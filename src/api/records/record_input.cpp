#include "api/records/record_input.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "api/records/records_documents.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::api::records {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxText = 64 * 1024;  // one text member (an abstract, a lineage)
constexpr std::size_t kMaxItems = 1000;      // one array (keywords, links, contacts)
constexpr int kMaxCoordinateDepth = 4;       // MultiPolygon: polygons, rings, positions, numbers

std::string text_of(const json& j, const std::string& where) {
  if (j.is_null()) return {};
  if (!j.is_string()) throw core::InvalidValue(where, "'" + where + "' must be a string");
  if (j.get_ref<const std::string&>().size() > kMaxText)
    throw core::InvalidValue(
        where, "'" + where + "' is longer than " + std::to_string(kMaxText) + " bytes");
  return j.get<std::string>();
}

std::string text(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  return it == object.end() ? std::string() : text_of(*it, where + "." + key);
}

const json& items(const json& object, const char* key, const std::string& where) {
  static const json empty = json::array();
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return empty;
  if (!it->is_array())
    throw core::InvalidValue(where + "." + key, "'" + where + "." + key + "' must be an array");
  if (it->size() > kMaxItems)
    throw core::InvalidValue(where + "." + key, "at most " + std::to_string(kMaxItems) + " items");
  return *it;
}

const json& object_at(const json& j, const std::string& where) {
  if (!j.is_object()) throw core::InvalidValue(where, "'" + where + "' must be an object");
  return j;
}

std::vector<std::string> texts(const json& object, const char* key, const std::string& where) {
  std::vector<std::string> out;
  for (const auto& v : items(object, key, where)) out.push_back(text_of(v, where + "." + key));
  return out;
}

// The extent of any GeoJSON geometry: the box around its positions (CRS84).
void extend(core::Envelope& e, bool& any, const json& coordinates, int depth) {
  if (!coordinates.is_array())
    throw core::InvalidValue("geometry", "'coordinates' must be arrays of positions");
  if (!coordinates.empty() && coordinates[0].is_number()) {
    if (coordinates.size() < 2 || !coordinates[1].is_number())
      throw core::InvalidValue("geometry", "a position is [longitude, latitude]");
    const double x = coordinates[0].get<double>(), y = coordinates[1].get<double>();
    e = any ? core::Envelope{std::min(e.min_x, x), std::min(e.min_y, y), std::max(e.max_x, x),
                             std::max(e.max_y, y)}
            : core::Envelope{x, y, x, y};
    any = true;
    return;
  }
  if (depth >= kMaxCoordinateDepth)
    throw core::InvalidValue("geometry", "'coordinates' nest too deep");
  for (const auto& c : coordinates) extend(e, any, c, depth + 1);
}

std::optional<core::Envelope> extent_of(const json& geometry) {
  if (geometry.is_null()) return std::nullopt;
  object_at(geometry, "geometry");
  auto it = geometry.find("coordinates");
  if (it == geometry.end())
    throw core::InvalidValue("geometry", "a geometry with 'coordinates' (or null) expected");
  core::Envelope e{};
  bool any = false;
  extend(e, any, *it, 0);
  if (!any) return std::nullopt;
  return e;
}

std::optional<std::string> instant(const json& j, const std::string& where) {
  if (j.is_null()) return std::nullopt;
  const std::string t = text_of(j, where);
  if (t == "..") return std::nullopt;
  auto parsed = core::parse_instant(t);
  if (!parsed)
    throw core::InvalidValue(where,
                             "'" + t.substr(0, 60) + "' is not an RFC 3339 date or date-time");
  return parsed;
}

std::optional<core::TimeInterval> time_of(const json& time) {
  if (time.is_null()) return std::nullopt;
  object_at(time, "time");
  if (auto it = time.find("interval"); it != time.end()) {
    if (!it->is_array() || it->size() != 2)
      throw core::InvalidValue("time.interval", "'interval' is [start, end]");
    core::TimeInterval t{instant((*it)[0], "time.interval"), instant((*it)[1], "time.interval")};
    if (!t.start && !t.end) return std::nullopt;
    return t;
  }
  for (const char* key : {"date", "timestamp"})
    if (auto it = time.find(key); it != time.end()) {
      auto at = instant(*it, std::string("time.") + key);
      return core::TimeInterval{at, at};
    }
  return std::nullopt;
}

void read_themes(const json& p, catalog::Record& r) {
  for (const auto& theme : items(p, "themes", "properties")) {
    object_at(theme, "properties.themes");
    const std::string scheme = text(theme, "scheme", "properties.themes");
    std::vector<std::string> ids;
    for (const auto& concept_ : items(theme, "concepts", "properties.themes"))
      ids.push_back(text(object_at(concept_, "properties.themes.concepts"), "id",
                         "properties.themes.concepts"));
    if (scheme == kTopicCategoryScheme)
      r.topic_categories.insert(r.topic_categories.end(), ids.begin(), ids.end());
    else if (!ids.empty())
      r.keywords.push_back({ids, scheme, scheme, "theme"});
  }
  // `keywords` repeats the themes' concepts: the others are free keywords.
  std::vector<std::string> free;
  for (auto& k : texts(p, "keywords", "properties")) {
    const bool themed = std::ranges::any_of(r.keywords, [&](const catalog::KeywordGroup& g) {
      return std::ranges::find(g.keywords, k) != g.keywords.end();
    });
    if (!themed) free.push_back(std::move(k));
  }
  if (!free.empty()) r.keywords.insert(r.keywords.begin(), catalog::KeywordGroup{free, "", "", ""});
}

void read_contacts(const json& p, catalog::Record& r) {
  const std::string where = "properties.contacts";
  for (const auto& c : items(p, "contacts", "properties")) {
    object_at(c, where);
    catalog::ResponsibleParty party;
    party.individual = text(c, "name", where);
    party.organisation = text(c, "organization", where);
    party.position = text(c, "position", where);
    const auto& emails = items(c, "emails", where);
    if (!emails.empty())
      party.email = text(object_at(emails[0], where + ".emails"), "value", where + ".emails");
    const auto& links = items(c, "links", where);
    if (!links.empty())
      party.url = text(object_at(links[0], where + ".links"), "href", where + ".links");
    const auto roles = texts(c, "roles", where);
    if (!roles.empty()) party.role = roles.front();
    r.contacts.push_back(std::move(party));
  }
}

void read_properties(const json& p, catalog::Record& r) {
  const std::string where = "properties";
  if (auto t = text(p, "type", where); !t.empty()) r.type = t;
  r.title = text(p, "title", where);
  r.abstract = text(p, "description", where);
  read_themes(p, r);
  if (auto it = p.find("language"); it != p.end() && !it->is_null()) {
    const std::string code =
        text(object_at(*it, "properties.language"), "code", "properties.language");
    if (!code.empty()) r.language = iso639_2_of(code);
  }
  for (const auto& e : items(p, "externalIds", where)) {
    object_at(e, "properties.externalIds");
    r.external_ids.push_back(
        {text(e, "scheme", "properties.externalIds"), text(e, "value", "properties.externalIds")});
  }
  read_contacts(p, r);
  r.licence = text(p, "license", where);
  r.attribution = text(p, "rights", where);
  for (auto [key, field] : {std::pair{"created", &catalog::Record::created},
                            {"published", &catalog::Record::published},
                            {"revised", &catalog::Record::revised}})
    if (auto it = p.find(key); it != p.end())
      r.*field = instant(*it, where + "." + key).value_or("");
  r.country = text(p, "country", where);
  r.lineage = text(p, "lineage", where);
  r.update_frequency = text(p, "updateFrequency", where);
  r.reference_system = text(p, "referenceSystem", where);
  r.parent_id = text(p, "parent", where);
  r.constraints = texts(p, "constraints", where);
}

// The record's own links are the server's to make; the others are distribution links.
bool made_by_server(const std::string& rel, const std::string& href) {
  return rel == "self" || rel == "collection" || rel == "up" || rel == "license" ||
         (rel == "alternate" && href.find("/collections/catalog/items/") != std::string::npos);
}

void read_links(const json& doc, catalog::Record& r) {
  const std::string where = "links";
  for (const auto& l : items(doc, "links", "record")) {
    object_at(l, where);
    catalog::Link link{text(l, "href", where),
                       text(l, "rel", where),
                       text(l, "type", where),
                       text(l, "protocol", where),
                       text(l, "name", where),
                       text(l, "title", where),
                       ""};
    if (link.href.empty()) throw core::InvalidValue(where, "a link has an 'href'");
    if (made_by_server(link.rel, link.href)) continue;
    if (link.rel == "preview") {
      r.thumbnail = link.href;
      continue;
    }
    r.links.push_back(std::move(link));
  }
  // A format named for a media type names the links of that type.
  if (auto it = doc.find("properties"); it != doc.end())
    for (const auto& f : items(*it, "formats", "properties")) {
      object_at(f, "properties.formats");
      const std::string name = text(f, "name", "properties.formats"),
                        type = text(f, "mediaType", "properties.formats");
      for (auto& link : r.links)
        if (!type.empty() && link.type == type && link.format.empty()) link.format = name;
    }
}

}  // namespace

catalog::Record read_record_geojson(std::string_view body) {
  if (body.size() > kMaxRecordBytes)
    throw core::ParsingFailed("body",
                              "a record is at most " + std::to_string(kMaxRecordBytes) + " bytes");
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw core::ParsingFailed("body", "the body is not a JSON object");
  if (auto type = doc.find("type"); type != doc.end() && *type != "Feature")
    throw core::InvalidValue("type", "a record is a GeoJSON Feature (\"type\": \"Feature\")");
  catalog::Record r;
  if (auto id = doc.find("id"); id != doc.end()) r.id = text_of(*id, "id");
  if (auto g = doc.find("geometry"); g != doc.end()) r.extent = extent_of(*g);
  if (auto t = doc.find("time"); t != doc.end()) r.temporal_extent = time_of(*t);
  auto p = doc.find("properties");
  if (p == doc.end() || !p->is_object())
    throw core::InvalidValue("properties", "a record has 'properties'");
  read_properties(*p, r);
  read_links(doc, r);
  return r;
}

}  // namespace amis::api::records
