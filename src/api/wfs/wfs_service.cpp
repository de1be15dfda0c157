#include "api/wfs/wfs_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/common/downloads.hpp"
#include "api/common/exception_response.hpp"
#include "api/common/no_store_response.hpp"
#include "api/common/ows_exception.hpp"
#include "api/common/ows_request.hpp"
#include "api/wfs/wfs_documents.hpp"
#include "api/wfs/wfs_query.hpp"
#include "core/error.hpp"
#include "core/returned_features.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/geojson_writer.hpp"
#include "encode/gml_writer.hpp"
#include "encode/xml_text.hpp"
#include "query/fes.hpp"

namespace amis::api::wfs {
namespace {

constexpr const char* kXml = "application/xml";
constexpr const char* kGml32 = "application/gml+xml; version=3.2";
constexpr const char* kGml311 = "text/xml; subtype=gml/3.1.1";
// A page up to this many features is read before its header, so that its
// numberMatched needs no second query when it is the last one.
constexpr std::int64_t kBufferedPageLimit = 10000;

struct MissingParameter : core::OgcError {
  explicit MissingParameter(const std::string& name)
      : core::OgcError(400, "MissingParameterValue", "the parameter '" + name + "' is required", name) {}
};

// RESOURCEID=countries.3,coal_mines.7 → {{"countries", "countries.3"}, {"coal_mines", "coal_mines.7"}},
// the types in the order the identifiers first name them.
std::vector<std::pair<std::string, std::string>> resource_ids_by_type(const std::string& list) {
  std::vector<std::pair<std::string, std::string>> groups;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string rid = list.substr(start, end - start);
    const auto dot = rid.rfind('.');
    const std::string type = dot == std::string::npos ? rid : rid.substr(0, dot);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == type; });
    if (it == groups.end()) groups.emplace_back(type, rid);
    else it->second += "," + rid;
    start = end + 1;
  }
  return groups;
}

bool is_2_0(std::string_view v) { return v == "2.0.0" || v == "2.0.2" || v == "2.0"; }
bool is_1_1(std::string_view v) { return v == "1.1.0" || v == "1.1"; }
// Only a Transaction document may say 1.0.0: QGIS 3.22 writes its WFS-T
// requests as 1.0.0 on a WFS 2.0 connection. The server offers no other 1.0.0.
bool is_1_0_transaction(const WfsRequest& r) {
  return r.xml && r.operation == "Transaction" && (r.version == "1.0.0" || r.version == "1.0");
}

// The coordinates of a response in `srs`: CRS84 and lon/lat WGS 84 as stored,
// EPSG:4326 by swapping, any other CRS through PROJ.
struct OutputCrs {
  std::unique_ptr<encode::CoordinateTransform> transform;
  encode::GmlCoordinates gml;
};

OutputCrs output_crs(const core::SrsName& srs, encode::GmlVersion version) {
  OutputCrs out;
  out.gml.version = version;
  out.gml.srs_name = srs.text;
  if (srs.crs.epsg == 4326 && !srs.east_north) {
    out.gml.swap_xy = true;
  } else if (!srs.crs.is_crs84()) {
    out.transform = std::make_unique<encode::CoordinateTransform>(srs.crs, "srsName", false, srs.east_north);
    out.gml.transform = out.transform.get();
  }
  return out;
}

std::string schema_location(const std::string& base, const std::string& type, bool v2) {
  const std::string dft = base + "/wfs?service=WFS&version=" + (v2 ? "2.0.0" : "1.1.0") +
                          "&request=DescribeFeatureType&typeNames=amis:" + type;
  return v2 ? std::string(encode::kWfs20Namespace) + " http://schemas.opengis.net/wfs/2.0/wfs.xsd " +
                  encode::kGml32Namespace + " http://schemas.opengis.net/gml/3.2.1/gml.xsd " +
                  encode::kAmisNamespace + " " + dft
            : std::string(encode::kWfs11Namespace) + " http://schemas.opengis.net/wfs/1.1.0/wfs.xsd " +
                  encode::kAmisNamespace + " " + dft;
}

// The KVP GET URL of the same request from `start` on: the next and previous
// pages, for GET and POST (XML) requests alike.
std::string page_url(const std::string& base, const WfsRequest& r, std::int64_t start) {
  std::string q = "SERVICE=WFS&VERSION=" + http::percent_encode(r.version.empty() ? "2.0.0" : r.version) +
                  "&REQUEST=" + http::percent_encode(r.operation);
  auto add = [&q](const char* name, const std::string& value) {
    if (!value.empty()) q += std::string("&") + name + "=" + http::percent_encode(value);
  };
  auto joined = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : ",") + item;
    return out;
  };
  add("TYPENAMES", joined(r.type_names));
  std::string namespaces;
  for (const auto& p : r.amis_prefixes) namespaces += (namespaces.empty() ? "" : ",") + ("xmlns(" + p + "," + encode::kAmisNamespace + ")");
  add("NAMESPACES", namespaces);
  add("SRSNAME", r.srs_name);
  add("BBOX", r.bbox);
  add("FILTER", r.filter);
  add("RESOURCEID", r.resource_id);
  add("SORTBY", r.sortby);
  add("PROPERTYNAME", joined(r.property_names));
  add("VALUEREFERENCE", r.value_reference);
  add("OUTPUTFORMAT", r.output_format);
  add("COUNT", r.count.value_or(""));
  return base + "/wfs?" + q + "&STARTINDEX=" + std::to_string(start);
}

}  // namespace

void WfsService::register_routes(http::Router& router) {
  auto handler = [this](http::Request& rq, http::Response& rs) { handle(rq, rs); };
  router.add("GET", "/wfs", handler);
  router.add("POST", "/wfs", handler);
}

std::string WfsService::base_url(const http::Request& request) const {
  return http::base_url(request, settings_.base_url);
}

void WfsService::handle(http::Request& request, http::Response& plain) {
  // Features change with every published change set: no WFS answer may be reused.
  NoStoreResponse response(plain);
  Version version = Version::V2_0;
  try {
    const WfsRequest r = read_ows_request(
        request, [](std::string_view body) { return parse_xml_request(body); },
        [](const http::Request& rq) { return parse_kvp_request(rq); });
    if (is_1_1(r.version)) version = Version::V1_1;
    if (r.operation == "GetCapabilities" && r.version.empty() && !r.accept_versions.empty()) {
      const auto& av = r.accept_versions;
      const auto p2 = av.find("2.0"), p1 = av.find("1.1");
      if (p1 != std::string::npos && (p2 == std::string::npos || p1 < p2)) version = Version::V1_1;
    }
    if (!r.service.empty() && r.service != "WFS")
      throw core::InvalidParameter("service", "'" + r.service.substr(0, 40) + "' is not WFS");
    if (r.operation.empty()) throw MissingParameter("request");
    if (r.service.empty() && !r.xml && r.operation != "GetCapabilities") throw MissingParameter("service");
    if (is_1_0_transaction(r)) version = Version::V1_1;  // WFS 1.x exception reports
    if (!r.version.empty() && !is_2_0(r.version) && !is_1_1(r.version) && !is_1_0_transaction(r)) {
      if (r.operation == "GetCapabilities")
        throw core::OgcError(400, "VersionNegotiationFailed", "this server offers WFS 2.0.0 and 1.1.0", "version");
      throw core::InvalidParameter("version", "'" + r.version.substr(0, 20) + "' is not 2.0.0 or 1.1.0");
    }
    if (r.operation == "GetCapabilities" && !r.accept_versions.empty() &&
        r.accept_versions.find("2.0") == std::string::npos && r.accept_versions.find("1.1") == std::string::npos)
      throw core::OgcError(400, "VersionNegotiationFailed", "this server offers WFS 2.0.0 and 1.1.0", "AcceptVersions");
    dispatch(r, version, request, response);
  } catch (const core::OgcError& e) {
    if (response.started()) throw;
    response.discard_unsent();
    const bool v2 = version == Version::V2_0;
    if (core::hidden_from_client(e)) {
      spdlog::error("{} {}: {}", request.method, request.path, e.what());
      const core::OgcError hidden(500, "NoApplicableCode", "the server could not complete the request");
      return response.send(500, kXml, exception_report(hidden, v2 ? OwsVersion::V1_1 : OwsVersion::V1_0,
                                                         v2 ? "2.0.0" : "1.1.0"));
    }
    if (!v2 && (e.locator() == "typeNames" || e.locator() == "count")) {  // WFS 1.1 names them so
      const core::OgcError named(e.status(), e.code(), e.what(), e.locator() == "count" ? "maxFeatures" : "typeName");
      return response.send(e.status(), kXml, exception_report(named, OwsVersion::V1_0, "1.1.0"));
    }
    response.send(e.status(), kXml,
                  exception_report(e, v2 ? OwsVersion::V1_1 : OwsVersion::V1_0, v2 ? "2.0.0" : "1.1.0"),
                  error_headers(e));
  }
}

void WfsService::dispatch(const WfsRequest& r, Version version, const http::Request& request,
                          http::Response& response) {
  const auto& op = r.operation;
  if (op == "GetCapabilities") return get_capabilities(r, request, response);
  if (op == "DescribeFeatureType") return describe_feature_type(r, version, response);
  if (op == "GetFeature") {
    if (!r.stored_query_id.empty()) return get_feature_by_id(r, version, response);
    return get_feature(r, version, request, response);
  }
  if (version == Version::V2_0) {
    if (op == "GetPropertyValue") return get_property_value(r, request, response);
    if (op == "ListStoredQueries") return response.send(200, kXml, list_stored_queries(store_.collections()));
    if (op == "DescribeStoredQueries") {
      auto ids = r.stored_query_ids;
      if (ids.empty() && !r.stored_query_id.empty()) ids.push_back(r.stored_query_id);  // the KVP STOREDQUERY_ID
      for (const auto& id : ids)
        if (id != kGetFeatureById) throw core::InvalidParameter("storedQuery_Id", "no stored query '" + id.substr(0, 80) + "'");
      return response.send(200, kXml, describe_stored_queries());
    }
  }
  if (op == "Transaction" && settings_.transactions) {
    if (!r.xml) throw core::OgcError(400, "OperationNotSupported", "a Transaction is an XML document sent by POST", "request");
    const auto v = version == Version::V2_0 ? TransactionVersion::V2_0
                   : is_1_0_transaction(r)  ? TransactionVersion::V1_0
                                            : TransactionVersion::V1_1;
    return settings_.transactions->execute(request, v, base_url(request), response);
  }
  if (op == "Transaction" || op == "LockFeature" || op == "GetFeatureWithLock" || op == "CreateStoredQuery" ||
      op == "DropStoredQuery" || op == "GetGmlObject")
    throw core::OgcError(400, "OperationNotSupported", "the operation " + op + " is not offered by this server", "request");
  throw core::OgcError(400, "OperationNotSupported", "unknown operation '" + op.substr(0, 60) + "'", "request");
}

void WfsService::get_capabilities(const WfsRequest& r, const http::Request& request, http::Response& response) {
  const ServiceDescription service{settings_.title, settings_.description, base_url(request),
                                   settings_.transactions != nullptr};
  const bool v11 = is_1_1(r.version) ||
                   (r.version.empty() && !r.accept_versions.empty() && r.accept_versions.find("2.0") == std::string::npos);
  const auto collections = store_.collections();
  response.send(200, kXml, v11 ? capabilities_1_1(service, collections) : capabilities_2_0(service, collections));
}

core::Collection WfsService::require_type(const std::string& type_name, const char* locator,
                                          const std::vector<std::string>& prefixes) {
  auto id = collection_id_of(type_name, prefixes);
  std::optional<core::Collection> c;
  if (id) c = store_.collection(*id);
  if (!c)
    for (auto& candidate : store_.collections())  // a type name made an NCName from a collection id
      if (id && encode::xml_name(candidate.id) == *id) c = std::move(candidate);
  if (!c) throw core::InvalidParameter(locator, "no feature type '" + type_name.substr(0, 80) + "'");
  return std::move(*c);
}

void WfsService::describe_feature_type(const WfsRequest& r, Version version, http::Response& response) {
  std::vector<core::Collection> types;
  if (r.type_names.empty()) types = store_.collections();
  for (const auto& name : r.type_names) types.push_back(require_type(name, "typeNames", r.amis_prefixes));
  const auto gml = version == Version::V2_0 ? encode::GmlVersion::V3_2 : encode::GmlVersion::V3_1_1;
  if (!r.output_format.empty()) {
    const auto f = parse_output_format(r.output_format, version == Version::V2_0);
    if (f == OutputFormat::GeoJson) throw core::InvalidParameter("outputFormat", "schemas are offered as XML Schema");
  }
  response.send(200, gml == encode::GmlVersion::V3_2 ? kGml32 : kGml311, feature_type_schema(types, gml));
}

void WfsService::get_feature(const WfsRequest& r, Version version, const http::Request& request,
                             http::Response& response) {
  const bool v2 = version == Version::V2_0;
  if (r.type_names.size() > 1) {
    // Several types: each gets the same query (bbox, filter, sortBy), one after the other.
    if (!r.property_names.empty())
      throw core::OgcError(400, "OptionNotSupported", "PROPERTYNAME with several feature types is not supported",
                           "propertyName");
    std::vector<std::pair<std::string, std::string>> groups;
    for (const auto& t : r.type_names) groups.emplace_back(t, r.resource_id);
    return get_features_of_types(r, groups, version, response);
  }
  std::string type_name = r.type_names.empty() ? "" : r.type_names[0];
  if (type_name.empty() && !r.resource_id.empty()) {
    const auto groups = resource_ids_by_type(r.resource_id);
    if (groups.size() > 1) return get_features_of_types(r, groups, version, response);
    type_name = groups.front().first;
  }
  if (type_name.empty()) throw MissingParameter("typeNames");
  const core::Collection c = require_type(type_name, "typeNames", r.amis_prefixes);
  WfsQuery w = type_query(r, c, v2);
  const auto format = parse_output_format(r.output_format, v2);
  const bool hits = r.result_type == "hits";
  if (!r.result_type.empty() && !hits && r.result_type != "results")
    throw core::InvalidParameter("resultType", "'" + r.result_type.substr(0, 40) + "' is not results or hits");
  const core::Collection output = core::project(c, w.query.properties);
  const auto base = base_url(request);

  if (format == OutputFormat::Download) {
    if (hits) throw core::InvalidParameter("resultType", "hits are answered in GML or GeoJSON");
    return send_download(store_, c, w.query, *find_download_format(r.output_format), response);
  }
  if (format == OutputFormat::GeoJson) {
    // GeoJSON is longitude, latitude unless another CRS is asked for by name.
    const core::SrsName srs = r.srs_name.empty() ? core::SrsName{core::Crs{}, true, core::kCrs84Uri} : w.srs;
    auto crs = output_crs(srs, encode::GmlVersion::V3_2);
    if (crs.gml.swap_xy)  // GeoJSON writes through PROJ for a latitude-first order
      crs.transform = std::make_unique<encode::CoordinateTransform>(srs.crs, "srsName");
    if (hits) w.query.limit = 0;
    auto& out = response.stream(200, "application/geo+json");
    encode::GeoJsonFeatureCollection sink(out, std::nullopt, [](std::int64_t) { return std::vector<encode::Link>{}; },
                                          crs.transform.get());
    std::int64_t matched = 0;
    sink.begin(output);
    core::ReturnedFeatures::add(store_.features(c, w.query, sink, &matched));
    sink.set_number_matched(matched);
    sink.end();
    return;
  }

  const auto gml_version = format == OutputFormat::Gml32 ? encode::GmlVersion::V3_2 : encode::GmlVersion::V3_1_1;
  const auto crs = output_crs(w.srs, gml_version);
  encode::GmlCollectionHeader header;
  header.schema_location = schema_location(base, encode::xml_name(c.id), gml_version == encode::GmlVersion::V3_2);
  const char* content_type = gml_version == encode::GmlVersion::V3_2 ? kGml32 : kGml311;

  if (hits) {
    header.number_matched = store_.count(c, w.query);
    if (!v2) header.number_returned = *header.number_matched;  // 1.1: numberOfFeatures
    return response.send(200, content_type, encode::gml_collection_start(gml_version, header) +
                                                encode::gml_collection_end());
  }
  auto links = [&](std::int64_t matched, std::int64_t returned) {
    if (!w.paged || !v2) return;
    if (w.query.offset + returned < matched) header.next = page_url(base, r, w.query.offset + returned);
    if (w.query.offset > 0)
      header.previous = page_url(base, r, std::max<std::int64_t>(0, w.query.offset - w.query.limit));
  };
  if (w.query.limit <= kBufferedPageLimit) {
    // A page: read it first, then its counts are known (the store counts only
    // when the page is full).
    std::string body;
    core::StringSink page(body);
    encode::GmlMembers members(page, crs.gml);
    std::int64_t matched = 0;
    members.begin(output);
    header.number_returned = store_.features(c, w.query, members, &matched);
    core::ReturnedFeatures::add(header.number_returned);
    members.end();
    header.number_matched = matched;
    links(matched, header.number_returned);
    auto& out = response.stream(200, content_type);
    out.write(encode::gml_collection_start(gml_version, header));
    out.write(body);
    out.write(encode::gml_collection_end());
    return;
  }
  // Everything (or a very large page): count first, then stream with flat memory.
  const std::int64_t matched = store_.count(c, w.query);
  header.number_matched = matched;
  header.number_returned = std::clamp<std::int64_t>(matched - w.query.offset, 0, w.query.limit);
  links(matched, header.number_returned);
  auto& out = response.stream(200, content_type);
  out.write(encode::gml_collection_start(gml_version, header));
  encode::GmlMembers members(out, crs.gml);
  members.begin(output);
  core::ReturnedFeatures::add(store_.features(c, w.query, members));
  members.end();
  out.write(encode::gml_collection_end());
}

void WfsService::get_features_of_types(const WfsRequest& r, const std::vector<std::pair<std::string, std::string>>& groups,
                                       Version version, http::Response& response) {
  const bool v2 = version == Version::V2_0;
  const auto format = parse_output_format(r.output_format, v2);
  if (format != OutputFormat::Gml32 && format != OutputFormat::Gml311)
    throw core::OgcError(400, "OptionNotSupported", "features of several types are answered in GML", "outputFormat");
  struct Part {
    core::Collection collection;
    WfsQuery query;
    std::int64_t matched = 0;
  };
  std::vector<Part> parts;
  WfsRequest whole = r;
  whole.count.reset();
  whole.start_index.reset();
  WfsRequest outer = r;  // only count, startIndex and srsName: the parts have the rest
  outer.resource_id.clear();
  outer.sortby.clear();
  outer.property_names.clear();
  outer.filter.clear();
  outer.bbox.clear();
  const WfsQuery paging = type_query(outer, core::Collection{}, v2);
  std::int64_t matched = 0;
  for (const auto& [type, ids] : groups) {
    Part part{require_type(type, r.type_names.size() > 1 ? "typeNames" : "resourceId", r.amis_prefixes), {}, 0};
    whole.resource_id = ids;
    part.query = type_query(whole, part.collection, v2);
    part.matched = store_.count(part.collection, part.query.query);
    matched += part.matched;
    parts.push_back(std::move(part));
  }
  const auto gml_version = format == OutputFormat::Gml32 ? encode::GmlVersion::V3_2 : encode::GmlVersion::V3_1_1;
  const auto crs = output_crs(paging.srs, gml_version);
  encode::GmlCollectionHeader header;
  header.number_matched = matched;
  header.number_returned = std::clamp<std::int64_t>(matched - paging.query.offset, 0, paging.query.limit);
  if (r.result_type == "hits") header.number_returned = v2 ? 0 : matched;
  auto& out = response.stream(200, gml_version == encode::GmlVersion::V3_2 ? kGml32 : kGml311);
  out.write(encode::gml_collection_start(gml_version, header));
  if (r.result_type != "hits") {
    // startIndex and count run over the parts in the order the identifiers named their types.
    std::int64_t skip = paging.query.offset, left = paging.query.limit;
    encode::GmlMembers members(out, crs.gml);
    for (auto& part : parts) {
      if (left <= 0) break;
      if (skip >= part.matched) {
        skip -= part.matched;
        continue;
      }
      part.query.query.offset = skip;
      part.query.query.limit = left;
      const core::Collection output = core::project(part.collection, part.query.query.properties);
      members.begin(output);
      const std::int64_t written = store_.features(part.collection, part.query.query, members);
      core::ReturnedFeatures::add(written);
      left -= written;
      members.end();
      skip = 0;
    }
  }
  out.write(encode::gml_collection_end());
}

void WfsService::get_feature_by_id(const WfsRequest& r, Version version, http::Response& response) {
  if (r.stored_query_id != kGetFeatureById)
    throw core::InvalidParameter("storedQuery_Id", "no stored query '" + r.stored_query_id.substr(0, 80) + "'");
  if (r.id.empty()) throw MissingParameter("ID");
  const auto dot = r.id.rfind('.');
  if (dot == std::string::npos) throw core::NotFound("no feature '" + r.id.substr(0, 80) + "'");
  auto id = collection_id_of(r.id.substr(0, dot), r.amis_prefixes);
  std::optional<core::Collection> c;
  if (id) c = store_.collection(*id);
  std::optional<std::int64_t> fid;
  if (c) fid = feature_id_of(r.id, *c);
  if (!fid) throw core::NotFound("no feature '" + r.id.substr(0, 80) + "'");
  WfsRequest plain = r;
  plain.stored_query_id.clear();
  WfsQuery w = type_query(plain, *c, version == Version::V2_0);
  const auto format = parse_output_format(r.output_format, version == Version::V2_0);
  std::string body;
  bool found = false;
  if (format == OutputFormat::Download)
    throw core::InvalidParameter("outputFormat", "GetFeatureById answers in GML or GeoJSON");
  if (format == OutputFormat::GeoJson) {
    auto crs = output_crs(r.srs_name.empty() ? core::SrsName{core::Crs{}, true, core::kCrs84Uri} : w.srs,
                          encode::GmlVersion::V3_2);
    if (crs.gml.swap_xy) crs.transform = std::make_unique<encode::CoordinateTransform>(w.srs.crs, "srsName");
    encode::GeoJsonFeature sink(body, {}, crs.transform.get());
    sink.begin(*c);
    found = store_.feature(*c, *fid, sink);
    if (found) core::ReturnedFeatures::add(1);
    if (found) return response.send(200, "application/geo+json", std::move(body));
  } else {
    const auto gml_version = format == OutputFormat::Gml32 ? encode::GmlVersion::V3_2 : encode::GmlVersion::V3_1_1;
    const auto crs = output_crs(w.srs, gml_version);
    // The feature alone, as the root element (WFS 2.0, 7.9.3.6).
    struct Single final : core::FeatureSink {
      std::string& out;
      const encode::GmlCoordinates& gml;
      const core::Collection* collection = nullptr;
      Single(std::string& o, const encode::GmlCoordinates& g) : out(o), gml(g) {}
      void begin(const core::Collection& col) override { collection = &col; }
      void feature(const core::FeatureView& f) override { encode::append_gml_feature(out, *collection, f, gml); }
      void end() override {}
    } sink(body, crs.gml);
    sink.begin(*c);
    found = store_.feature(*c, *fid, sink);
    if (found) {
      core::ReturnedFeatures::add(1);
      // Declare the namespaces on the feature element itself.
      const auto space = body.find(' ');
      body.insert(space, encode::gml_namespace_declarations(gml_version));
      return response.send(200, gml_version == encode::GmlVersion::V3_2 ? kGml32 : kGml311,
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body + "\n");
    }
  }
  throw core::NotFound("no feature '" + r.id.substr(0, 80) + "'");
}

void WfsService::get_property_value(const WfsRequest& r, const http::Request& request, http::Response& response) {
  if (r.value_reference.empty()) throw MissingParameter("valueReference");
  if (r.type_names.size() != 1) {
    if (r.type_names.empty()) throw MissingParameter("typeNames");
    throw core::OgcError(400, "OptionNotSupported", "one feature type per request is supported", "typeNames");
  }
  const core::Collection c = require_type(r.type_names[0], "typeNames", r.amis_prefixes);
  const auto property = query::resolve_value_reference(r.value_reference, c);
  if (!property)
    throw core::InvalidParameter("valueReference", "'" + r.value_reference.substr(0, 80) + "' is not a property of " +
                                                       c.id + " (only property names are accepted, no XPath)");
  WfsRequest plain = r;
  plain.property_names = {*property};
  WfsQuery w = type_query(plain, c, true);
  // Features without a value have no member.
  auto present = core::Expression::op("not", {core::Expression::op("isNull", {core::Expression::property(*property)})});
  w.query.filter = std::make_shared<const core::Expression>(
      w.query.filter ? core::Expression::op("and", {*w.query.filter, present}) : present);
  const bool geometry = *property == "geometry";
  if (geometry) w.query.properties = std::vector<std::string>{};
  const core::Collection output = core::project(c, w.query.properties);
  const auto crs = output_crs(w.srs, encode::GmlVersion::V3_2);

  // Values of one property as wfs:member elements.
  struct Values final : core::FeatureSink {
    core::ByteSink& out;
    const encode::GmlCoordinates& gml;
    bool geometry;
    std::string buffer;
    Values(core::ByteSink& o, const encode::GmlCoordinates& g, bool geom) : out(o), gml(g), geometry(geom) {}
    void begin(const core::Collection&) override {}
    void feature(const core::FeatureView& f) override {
      buffer += "<wfs:member>";
      if (geometry) {
        encode::append_gml_geometry(buffer, f.wkb, gml, "v." + std::to_string(f.id));
      } else if (!f.values.empty()) {
        const auto& v = f.values[0];
        if (v.kind == core::Value::Kind::Integer) buffer += std::to_string(v.integer);
        else if (v.kind == core::Value::Kind::Real) encode::append_xml_number(buffer, v.real);
        else encode::append_xml_text(buffer, v.text);
      }
      buffer += "</wfs:member>\n";
      if (buffer.size() >= 64 * 1024) end();
    }
    void end() override {
      out.write(buffer);
      buffer.clear();
    }
  };
  std::string body;
  core::StringSink page(body);
  const bool buffered = w.query.limit <= kBufferedPageLimit;
  std::int64_t matched = 0, returned = 0;
  if (buffered) {
    Values values(page, crs.gml, geometry);
    returned = store_.features(c, w.query, values, &matched);
    core::ReturnedFeatures::add(returned);
    values.end();
  } else {
    matched = store_.count(c, w.query);
    returned = std::clamp<std::int64_t>(matched - w.query.offset, 0, w.query.limit);
  }
  std::string start = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:ValueCollection" +
                      encode::gml_namespace_declarations(encode::GmlVersion::V3_2) + " timeStamp=\"" +
                      encode::utc_timestamp() + "\" numberMatched=\"" + std::to_string(matched) +
                      "\" numberReturned=\"" + std::to_string(returned) + "\"";
  if (w.paged && w.query.offset + returned < matched) {
    start += " next=\"";
    encode::append_xml_text(start, page_url(base_url(request), r, w.query.offset + returned));
    start += '"';
  }
  start += " xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd\">\n";
  auto& out = response.stream(200, kXml);
  out.write(start);
  if (buffered) {
    out.write(body);
  } else {
    Values values(out, crs.gml, geometry);
    core::ReturnedFeatures::add(store_.features(c, w.query, values));
    values.end();
  }
  out.write("</wfs:ValueCollection>\n");
}

}  // namespace amis::api::wfs
