// OpenAPI: OGC API - Coverages over the raster layers (api/coverages) and WCS 2.0.1 (api/wcs).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

const json kBinary = {{"type", "string"}, {"format", "binary"}};
const json kText = {{"type", "string"}};

json too_large() {
  return {{"description", "The response would exceed [coverages] max_response_mb or max_size"},
          {"content", {{"application/json", {{"schema", ref("schemas", "exception")}}}}}};
}

json coverage_operation() {
  const json axes = {{"type", "string"}};
  json op = operation(
      "getCoverage", "A coverage (raster layer) or part of it, as GeoTIFF, PNG or CoverageJSON (f=html: its page)",
      "Coverages",
      {ref("parameters", "collectionId"),
       query_parameter("subset", "Trims on the spatial axes: Lon(100:110),Lat(*:20) (CRS84 for Lat/Lon, the "
                                 "coverage's CRS for its own axis names such as E/N; repeatable).", axes),
       query_parameter("subset-crs", "The CRS of subset (URI or [EPSG:n])."),
       query_parameter("bbox", "min x, min y, max x, max y (not with subset).", axes),
       query_parameter("bbox-crs", "The CRS of bbox (CRS84 by default; EPSG:4326 is latitude first)."),
       query_parameter("crs", "The output CRS (the coverage's by default)."),
       query_parameter("resolution", "Cells' size by axis: Lon(0.25),Lat(0.25)."),
       query_parameter("width", "Cells along x.", {{"type", "integer"}, {"minimum", 1}}),
       query_parameter("height", "Cells along y.", {{"type", "integer"}, {"minimum", 1}}),
       query_parameter("scale-size", "Cells by axis: Lon(512),Lat(256) (also scaleSize).", axes),
       query_parameter("scale-factor", "One factor for both axes (2: half the cells; also scaleFactor).",
                       {{"type", "number"}}),
       query_parameter("scale-axes", "Factors by axis: Lon(2),Lat(2) (also scaleAxes).", axes),
       query_parameter("properties", "The bands, by name, in the output's order.", axes),
       query_parameter("exclude-properties", "The bands to leave out.", axes),
       query_parameter("f", "tif (GeoTIFF, the default), png, covjson (CoverageJSON) or html (the coverage's page).",
                       {{"type", "string"}, {"enum", {"tif", "png", "covjson", "html"}}}),
       query_parameter("version", "An earlier grid of the coverage, read-only: its number in "
                                  "/collections/{collectionId}/coverage/history (0: the grid as added; 404 for none).",
                       {{"type", "integer"}, {"minimum", 0}}),
       query_parameter("asOf", "The grid the coverage served at this instant (2026-11-27T10:00:00Z), as the "
                               "features' asOf; not with version.",
                       {{"type", "string"}, {"format", "date-time"}})},
      error_responses({400, 404, 406}));
  op["responses"]["200"] = {
      {"description", "The coverage (Content-Crs and Content-Bbox headers say where it is)"},
      {"content",
       {{"image/tiff; application=geotiff", {{"schema", kBinary}}},
        {"image/png", {{"schema", kBinary}}},
        {"application/prs.coverage+json", {{"schema", {{"type", "object"}}}}},
        {"text/html", {{"schema", {{"type", "string"}}}}}}}};
  op["responses"]["413"] = too_large();
  return op;
}

json json_document(const std::string& id, const std::string& summary, const std::string& media) {
  json op = operation(id, summary, "Coverages", json::array({ref("parameters", "collectionId")}), error_responses({404, 406}));
  op["responses"]["200"] = body_response(summary, media, {{"type", "object"}});
  return op;
}

json wcs_operation(const std::string& id) {
  json op = operation(id, "WCS 2.0.1 (GetCapabilities, DescribeCoverage, GetCoverage) in the KVP encoding",
                      "OGC web services",
                      {query_parameter("SERVICE", "WCS (names are case-insensitive).",
                                       {{"type", "string"}, {"enum", {"WCS"}}}),
                       query_parameter("REQUEST", "GetCapabilities, DescribeCoverage or GetCoverage."),
                       query_parameter("VERSION", "2.0.1.")},
                      json::object());
  op["description"] =
      "DescribeCoverage: COVERAGEID (comma-separated). GetCoverage: COVERAGEID, SUBSET (repeatable: "
      "Lat(10,20), Long,<crs>(100,110)), SUBSETTINGCRS, OUTPUTCRS, FORMAT (image/tiff, image/png), SCALEFACTOR, "
      "SCALEAXES, SCALESIZE, RANGESUBSET (band names and a:b intervals), INTERPOLATION (nearest-neighbour, "
      "linear, cubic). Errors are OWS 2.0 exception reports with status 400, 404 or 413.";
  const json report = {{"description", "An OWS 2.0 exception report"},
                       {"content", {{"application/xml", {{"schema", kText}}}}}};
  op["responses"]["200"] = {{"description", "Capabilities and descriptions as XML, coverages as GeoTIFF or PNG"},
                            {"content",
                             {{"application/xml", {{"schema", kText}}},
                              {"image/tiff", {{"schema", kBinary}}},
                              {"image/png", {{"schema", kBinary}}}}}};
  for (const char* status : {"400", "404", "413", "500"}) op["responses"][status] = report;
  return op;
}

}  // namespace

void add_coverage_paths(json& paths) {
  paths["/collections/{collectionId}/coverage"] = {{"get", coverage_operation()}};
  paths["/collections/{collectionId}/coverage/domainset"] = {
      {"get", json_document("getCoverageDomainSet", "The domain set of a coverage (CIS 1.1 JSON)", "application/json")}};
  paths["/collections/{collectionId}/coverage/rangetype"] = {
      {"get", json_document("getCoverageRangeType", "The range type of a coverage (CIS 1.1 JSON)", "application/json")}};
  paths["/collections/{collectionId}/schema"] = {
      {"get", json_document("getCoverageSchema", "The fields (bands) of a coverage", "application/schema+json")}};
  json post = wcs_operation("wcsPost");
  post["parameters"] = json::array();
  post["requestBody"] = {{"required", true},
                         {"content", {{"application/x-www-form-urlencoded", {{"schema", {{"type", "object"}}}}}}}};
  paths["/wcs"] = {{"get", wcs_operation("wcsGet")}, {"post", post}};
}

}  // namespace amis::api::features::oas
