#include "monitor/usage_classifier.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "monitor/usage_event.hpp"

namespace amis::monitor {
namespace {

using std::string_view;

bool iequals(string_view a, string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The canonical spelling of an OWS operation of the service, or "unknown".
template <std::size_t N>
const char* canonical(string_view asked, const std::array<const char*, N>& known) {
  for (const char* k : known)
    if (iequals(asked, k)) return k;
  return "unknown";
}

constexpr std::array<const char*, 6> kWms = {"GetCapabilities", "GetMap", "GetFeatureInfo", "GetLegendGraphic",
                                             "DescribeLayer", "GetStyles"};
constexpr std::array<const char*, 9> kWfs = {"GetCapabilities", "DescribeFeatureType", "GetFeature",
                                             "GetPropertyValue", "ListStoredQueries", "DescribeStoredQueries",
                                             "Transaction", "LockFeature", "GetFeatureWithLock"};
constexpr std::array<const char*, 3> kWmts = {"GetCapabilities", "GetTile", "GetFeatureInfo"};
constexpr std::array<const char*, 3> kWcs = {"GetCapabilities", "DescribeCoverage", "GetCoverage"};
constexpr std::array<const char*, 7> kCsw = {"GetCapabilities", "DescribeRecord", "GetRecords", "GetRecordById",
                                             "GetDomain", "Harvest", "Transaction"};

// The local name of the first element of an XML body (a POSTed OWS request):
// <wfs:GetFeature ...> gives "GetFeature". Reads at most the first 4 KiB.
string_view root_element(string_view body) {
  body = body.substr(0, 4096);
  std::size_t at = 0;
  while ((at = body.find('<', at)) != string_view::npos) {
    ++at;
    if (at < body.size() && (body[at] == '?' || body[at] == '!')) continue;
    const auto end = body.find_first_of(" \t\r\n/>", at);
    if (end == string_view::npos) return {};
    auto name = body.substr(at, end - at);
    if (const auto colon = name.find(':'); colon != string_view::npos) name = name.substr(colon + 1);
    return name;
  }
  return {};
}

// The value of the first attribute `name="..."` in the first 4 KiB of a body.
string_view body_attribute(string_view body, string_view name) {
  body = body.substr(0, 4096);
  for (std::size_t at = body.find(name); at != string_view::npos; at = body.find(name, at + 1)) {
    auto rest = body.substr(at + name.size());
    if (rest.size() < 2 || rest[0] != '=' || (rest[1] != '"' && rest[1] != '\'')) continue;
    const char quote = rest[1];
    const auto end = rest.find(quote, 2);
    if (end == string_view::npos) return {};
    return rest.substr(2, end - 2);
  }
  return {};
}

// The first name of a comma-separated list, without a namespace prefix.
std::string first_name(string_view list) {
  list = list.substr(0, list.find(','));
  if (const auto colon = list.find(':'); colon != string_view::npos) list = list.substr(colon + 1);
  return std::string(list.substr(0, kMaxName));
}

std::string param(const http::Request& rq, string_view name) {
  return http::param_ignoring_case(rq, name).value_or(std::string());
}

// The segments of a route pattern ("/collections/{collectionId}/items").
std::vector<string_view> segments(string_view pattern) {
  std::vector<string_view> out;
  std::size_t at = 0;
  while (at < pattern.size()) {
    if (pattern[at] == '/') { ++at; continue; }
    const auto end = pattern.find('/', at);
    out.push_back(pattern.substr(at, end - at));
    if (end == string_view::npos) break;
    at = end;
  }
  return out;
}

bool is_parameter(string_view s) { return s.size() > 2 && s.front() == '{'; }

string_view last_literal(const std::vector<string_view>& segs) {
  for (auto it = segs.rbegin(); it != segs.rend(); ++it)
    if (!is_parameter(*it)) return *it;
  return {};
}

std::string path_param(const http::Request& rq, string_view name) {
  const auto it = rq.path_params.find(name);
  return it == rq.path_params.end() ? std::string() : it->second.substr(0, kMaxName);
}

void classify_ows(const http::Request& rq, string_view service, Classification& c) {
  const bool posted = rq.method == "POST";
  const std::string asked = posted ? std::string(root_element(rq.body)) : param(rq, "request");
  if (service == "wms") {
    c.service = "wms";
    c.operation = canonical(asked, kWms);
    auto layers = param(rq, "layers");
    if (layers.empty()) layers = param(rq, "query_layers");
    if (layers.empty()) layers = param(rq, "layer");
    c.collection = first_name(layers);
    c.format = format_name(param(rq, "format"));
  } else if (service == "wfs") {
    c.service = "wfs";
    c.operation = canonical(asked, kWfs);
    std::string names = posted ? std::string(body_attribute(rq.body, "typeNames")) : param(rq, "typenames");
    if (names.empty()) names = posted ? std::string(body_attribute(rq.body, "typeName")) : param(rq, "typename");
    c.collection = first_name(names);
    c.format = format_name(posted ? body_attribute(rq.body, "outputFormat") : string_view(param(rq, "outputformat")));
  } else if (service == "wmts") {
    c.service = "wmts";
    c.operation = canonical(asked, kWmts);
    c.collection = first_name(param(rq, "layer"));
    c.format = format_name(param(rq, "format"));
  } else if (service == "wcs") {
    c.service = "wcs";
    c.operation = canonical(asked, kWcs);
    std::string ids = posted ? std::string() : param(rq, "coverageid");  // 2.0.1
    if (ids.empty() && !posted) ids = param(rq, "coverage");             // 1.0.0
    c.collection = first_name(ids);
    c.format = format_name(param(rq, "format"));
  } else {
    c.service = "csw";
    c.operation = canonical(asked, kCsw);
    c.collection = "catalog";
    c.format = format_name(param(rq, "outputformat"));
  }
}

// The routes under /collections/{collectionId}.
void classify_collection_route(const http::Request& rq, const std::vector<string_view>& segs, Classification& c) {
  c.collection = path_param(rq, "collectionId");
  const string_view next = segs.size() > 2 ? segs[2] : string_view();
  const bool tile = segs.back() == "{tileCol}";
  if (next.empty() || next == "items" || next == "queryables") {
    c.service = "features";
    if (next.empty()) c.operation = "collection";
    else if (next == "queryables") c.operation = "queryables";
    else if (segs.size() == 3) c.operation = rq.method == "POST" ? "create" : "items";
    else if (segs.back() == "history") c.operation = "history";
    else if (rq.method == "PUT") c.operation = "replace";
    else if (rq.method == "PATCH") c.operation = "update";
    else if (rq.method == "DELETE") c.operation = "delete";
    else c.operation = "item";
  } else if (next == "upload") {
    c.service = "editing";
    c.operation = "upload";
  } else if (next == "tiles") {
    c.service = "tiles";
    c.operation = tile ? "tile" : segs.size() == 3 ? "tilesets" : "tileset";
  } else if (next == "map") {
    c.service = "maps";
    c.operation = tile ? "tile" : segs.size() == 4 ? "tilesets" : "tileset";
  } else if (next == "styles") {
    const bool map = std::find(segs.begin(), segs.end(), "map") != segs.end();
    c.service = map ? "maps" : "styles";
    if (map) c.operation = tile ? "tile" : "tileset";
    else if (segs.back() == "legend") c.operation = "legend";
    else if (segs.size() == 3) c.operation = "styles";
    else c.operation = rq.method == "GET" ? "style" : rq.method == "PUT" ? "put-style" : "delete-style";
  }
}

struct TopLevel {
  string_view first;
  const char* service;
};
constexpr std::array<TopLevel, 21> kTopLevel = {{{"", "features"},          {"conformance", "features"},
                                                 {"api", "features"},       {"functions", "features"},
                                                 {"tileMatrixSets", "tiles"}, {"tiles", "tiles"},
                                                 {"map", "maps"},           {"changesets", "editing"},
                                                 {"audit", "editing"},      {"login", "accounts"},
                                                 {"logout", "accounts"},    {"session", "accounts"},
                                                 {"admin", "admin"},        {"portal", "portal"},
                                                 {"static", "static"},      {"health", "health"},
                                                 {"metrics", "metrics"},    {"needs", "needs"},
                                                 {"workplans", "workplan"}, {"countries", "invest"},
                                                 {"changes", "federation"}}};

// The operation of a top-level route: its last literal segment, or the kind of
// resource its last parameter names. Literal segments are the router's, never the client's.
const char* top_level_operation(const std::vector<string_view>& segs, const char* service) {
  if (segs.empty()) return "landing";
  if (segs.back() == "{tileCol}") return "tile";
  const string_view last = last_literal(segs);
  static constexpr std::array<const char*, 34> kNames = {
      "conformance", "api",    "functions", "tileMatrixSets", "tiles",    "changesets", "approve",   "reject",
      "revert",      "review", "submit",    "withdraw",       "audit",    "login",      "logout",    "session",
      "users",       "tokens", "portal",    "assets",         "static",   "health",     "metrics",   "needs",
      "summary",     "comments", "countries", "compare",      "print",    "workplans",  "meetings",  "progress",
      "evidence",    "changes"};
  for (const char* n : kNames)
    if (last == n) {
      if (is_parameter(segs.back()) && (last == "changesets" || last == "users" || last == "tileMatrixSets"))
        return last == "changesets" ? "changeset" : last == "users" ? "user" : "tileMatrixSet";
      if (is_parameter(segs.back()) && (last == "portal" || last == "assets" || last == "static")) return "file";
      return n;
    }
  if (string_view(service) == "tiles" || string_view(service) == "maps") return "tileset";
  return "unknown";
}

}  // namespace

const char* format_name(string_view value) {
  if (value.empty()) return "";
  std::string v(value.substr(0, 100));
  for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  struct Known {
    string_view needle;
    const char* name;
  };
  static constexpr std::array<Known, 17> kKnown = {{{"geojson", "geojson"}, {"jsonfg", "jsonfg"},
                                                    {"json", "json"},       {"html", "html"},
                                                    {"csv", "csv"},         {"kml", "kml"},
                                                    {"shape", "shapezip"},  {"gpkg", "gpkg"},
                                                    {"geopackage", "gpkg"}, {"fgb", "flatgeobuf"},
                                                    {"flatgeobuf", "flatgeobuf"}, {"gml", "gml"},
                                                    {"xml", "xml"},         {"png", "png"},
                                                    {"jpeg", "jpeg"},       {"jpg", "jpeg"},
                                                    {"mvt", "mvt"}}};
  for (const auto& k : kKnown)
    if (v.find(k.needle) != std::string::npos) return k.name;
  if (v.find("mapbox-vector-tile") != std::string::npos) return "mvt";
  if (v.find("tif") != std::string::npos) return "geotiff";
  return "other";
}

Classification classify(const http::Request& rq) {
  Classification c;
  if (rq.route.empty()) return c;  // no route: a 404 or 405 of the router
  const auto segs = segments(rq.route);
  const string_view first = segs.empty() ? string_view() : segs.front();
  if (first == "wms" || first == "wfs" || first == "csw" || first == "wcs" || (first == "wmts" && segs.size() == 1)) {
    classify_ows(rq, first, c);
    return c;
  }
  c.format = format_name(rq.param("f").value_or(string_view()));
  if (first == "wmts") {
    c.service = "wmts";
    c.operation = segs.size() == 3 ? "GetCapabilities" : "GetTile";
    c.collection = path_param(rq, "layer");
    return c;
  }
  if (first == "usage") {
    c.service = "usage";
    c.operation = segs.size() == 1              ? "landing"
                  : segs[1] == "daily"          ? "daily"
                  : segs[1] == "hourly"         ? "hourly"
                  : segs[1] == "visitors"       ? "visitors"
                  : segs[1] == "member-states"  ? "member-state"
                  : segs[1] == "monthly"        ? "monthly"
                                                : "status";
    return c;
  }
  if (first == "collections") {
    if (segs.size() == 1) {
      c.service = "features";
      c.operation = "collections";
    } else if (segs[1] == "catalog") {  // the Records catalogue's own routes
      c.service = "records";
      c.collection = "catalog";
      c.operation = segs.size() == 2 ? "catalog" : segs.size() == 4 ? "record" : segs[2] == "items" ? "items"
                                                                   : segs[2] == "queryables" ? "queryables"
                                                                                            : "sortables";
    } else {
      classify_collection_route(rq, segs, c);
    }
    return c;
  }
  for (const auto& t : kTopLevel)
    if (t.first == first) {
      c.service = t.service;
      c.operation = top_level_operation(segs, t.service);
      return c;
    }
  return c;
}

}  // namespace amis::monitor
