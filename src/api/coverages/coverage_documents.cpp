#include "api/coverages/coverage_documents.hpp"

namespace amis::api::coverages {
namespace {

using json = nlohmann::json;
constexpr const char* kRelCoverage = "http://www.opengis.net/def/rel/ogc/1.0/coverage";
constexpr const char* kRelDomainSet = "http://www.opengis.net/def/rel/ogc/1.0/coverage-domainset";
constexpr const char* kRelRangeType = "http://www.opengis.net/def/rel/ogc/1.0/coverage-rangetype";
constexpr const char* kRelSchema = "http://www.opengis.net/def/rel/ogc/1.0/schema";

json link(const std::string& href, const char* rel, const char* type, const std::string& title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

json box(const core::Envelope& e) { return json::array({e.min_x, e.min_y, e.max_x, e.max_y}); }

}  // namespace

const std::vector<std::string>& coverages_conformance_classes() {
  static const std::vector<std::string> classes = {
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/core",
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/subsetting-spatial",
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/scaling-spatial",
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/field-selection",
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/crs",
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/geotiff",
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/coveragejson",
      "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/html",
  };
  return classes;
}

std::string data_type_uri(const std::string& gdal_type) {
  static const std::pair<const char*, const char*> names[] = {
      {"Byte", "unsignedByte"}, {"Int8", "signedByte"},   {"Int16", "signedShort"}, {"UInt16", "unsignedShort"},
      {"Int32", "signedInt"},   {"UInt32", "unsignedInt"}, {"Int64", "signedLong"}, {"UInt64", "unsignedLong"},
      {"Float32", "float32"},   {"Float64", "float64"}};
  for (const auto& [gdal, ogc] : names)
    if (gdal_type == gdal) return std::string("http://www.opengis.net/def/dataType/OGC/0/") + ogc;
  return "http://www.opengis.net/def/dataType/OGC/0/float64";
}

std::vector<store::RasterBand> served_bands(const store::RasterLayer& layer, const coverage::CoverageInfo& info) {
  if (static_cast<int>(layer.bands.size()) == info.band_count) return layer.bands;
  std::vector<store::RasterBand> out;
  for (int i = 1; i <= info.band_count; ++i) {
    store::RasterBand b;
    b.name = "band" + std::to_string(i);
    b.data_type = info.data_type;
    if (i == 1) {
      b.min = layer.min;
      b.max = layer.max;
    }
    out.push_back(std::move(b));
  }
  return out;
}

json coverage_collection_json(const std::string& base, const store::RasterLayer& layer,
                              const coverage::CoverageInfo& info) {
  const std::string href = base + "/collections/" + layer.id;
  json links = json::array({
      link(href + "?f=json", "self", "application/json", "This collection"),
      link(href + "/coverage", kRelCoverage, "image/tiff; application=geotiff", "The coverage as GeoTIFF"),
      link(href + "/coverage?f=png", kRelCoverage, "image/png", "The coverage as PNG (8 bits, stretched)"),
      link(href + "/coverage?f=covjson", kRelCoverage, "application/prs.coverage+json", "The coverage as CoverageJSON"),
      link(href + "/coverage?f=html", kRelCoverage, "text/html", "The coverage's page (domain, bands, preview)"),
      link(href + "/coverage/domainset", kRelDomainSet, "application/json", "The domain set (CIS 1.1 JSON)"),
      link(href + "/coverage/rangetype", kRelRangeType, "application/json", "The range type (CIS 1.1 JSON)"),
      link(href + "/schema", kRelSchema, "application/schema+json", "The fields (bands) of the coverage"),
      link(href + "/map/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map", "application/json",
           "Map tiles of the coverage (colour ramp; also /styles/hillshade/map/tiles)"),
  });
  json spatial = {{"bbox", json::array({box(layer.extent)})}, {"crs", core::kCrs84Uri}};
  json doc = {{"id", layer.id},
              {"title", layer.title},
              {"description", layer.description},
              {"dataType", "coverage"},
              {"extent", {{"spatial", spatial}}},
              {"links", links}};
  const std::string native = info.crs_uri();
  if (!native.empty()) {
    doc["storageCrs"] = native;
    json crs = json::array({native});
    for (const char* other : {core::kCrs84Uri, "http://www.opengis.net/def/crs/EPSG/0/4326",
                              "http://www.opengis.net/def/crs/EPSG/0/3857"})
      if (native != other) crs.push_back(other);
    doc["crs"] = crs;
    if (native != core::kCrs84Uri) {
      doc["extent"]["spatial"]["storageCrsBbox"] = json::array({box(info.envelope())});
    }
  }
  if (!layer.attribution.empty()) doc["attribution"] = layer.attribution;
  if (!layer.licence.empty()) doc["license"] = layer.licence;
  return doc;
}

json domain_set_json(const coverage::CoverageInfo& info) {
  const core::Envelope e = info.envelope();
  auto axis = [&](const std::string& label, double low, double high, double resolution) {
    return json{{"type", "RegularAxisType"}, {"axisLabel", label},    {"lowerBound", low},
                {"upperBound", high},       {"uomLabel", info.uom}, {"resolution", resolution}};
  };
  auto index = [](const char* label, int size) {
    return json{{"type", "IndexAxisType"}, {"axisLabel", label}, {"lowerBound", 0}, {"upperBound", size - 1}};
  };
  json grid = {{"type", "GeneralGridCoverageType"},
               {"axisLabels", json::array({info.x_label, info.y_label})},
               {"axis", json::array({axis(info.x_label, e.min_x, e.max_x, info.resolution_x()),
                                     axis(info.y_label, e.min_y, e.max_y, -info.resolution_y())})},
               {"gridLimits",
                {{"type", "GridLimitsType"},
                 {"srsName", "http://www.opengis.net/def/crs/OGC/0/Index2D"},
                 {"axisLabels", json::array({"i", "j"})},
                 {"axis", json::array({index("i", info.width), index("j", info.height)})}}}};
  const std::string crs = info.crs_uri();
  if (!crs.empty()) grid["srsName"] = crs;
  return {{"type", "DomainSetType"}, {"generalGrid", grid}};
}

json range_type_json(const store::RasterLayer& layer, const coverage::CoverageInfo& info) {
  json fields = json::array();
  for (const auto& b : served_bands(layer, info)) {
    json f = {{"type", "QuantityType"}, {"id", b.name}, {"name", b.name}, {"definition", data_type_uri(b.data_type)}};
    if (!b.description.empty()) f["description"] = b.description;
    if (!b.unit.empty()) f["uom"] = {{"type", "UnitReferenceType"}, {"code", b.unit}};
    if (b.nodata)
      f["nilValues"] = json::array(
          {{{"reason", "http://www.opengis.net/def/nil/OGC/0/missing"}, {"value", std::to_string(*b.nodata)}}});
    fields.push_back(std::move(f));
  }
  return {{"type", "DataRecordType"}, {"field", fields}};
}

json fields_schema_json(const std::string& base, const store::RasterLayer& layer, const coverage::CoverageInfo& info) {
  json properties = json::object();
  int seq = 1;
  for (const auto& b : served_bands(layer, info)) {
    const bool integer = b.data_type.find("Int") != std::string::npos || b.data_type == "Byte";
    json p = {{"title", b.name}, {"type", integer ? "integer" : "number"}, {"x-ogc-propertySeq", seq++}};
    if (!b.description.empty()) p["description"] = b.description;
    if (!b.unit.empty()) p["x-ogc-unit"] = b.unit;
    properties[b.name] = std::move(p);
  }
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", base + "/collections/" + layer.id + "/schema"},
          {"title", layer.title},
          {"type", "object"},
          {"properties", properties}};
}

}  // namespace amis::api::coverages
