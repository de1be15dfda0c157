// OpenAPI: styles (api/styles), OGC API Tiles and tile matrix sets (api/tiles),
// the WMS, WFS and WMTS endpoints as KVP operations, static files and the portal.
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

const json kBinary = {{"type", "string"}, {"format", "binary"}};
const json kText = {{"type", "string"}};

json style_id() {
  return path_parameter("styleId", "The style name ('default' is drawn by geometry type).");
}

void add_style_paths(json& paths) {
  const json collection_id = ref("parameters", "collectionId");
  json list = operation("getStyles", "The styles of a collection", "Styles", json::array({collection_id}),
                        error_responses({404}));
  list["responses"]["200"] = body_response("The styles, with links to each SLD and legend",
                                           "application/json", {{"type", "object"}});
  paths["/collections/{collectionId}/styles"] = {{"get", list}};

  const json sld = {{"application/vnd.ogc.sld+xml;version=1.0", {{"schema", kText}}},
                    {"application/vnd.ogc.sld+xml;version=1.1", {{"schema", kText}}}};
  json get = operation("getStyle", "A style as its SLD 1.0 or SE 1.1 document", "Styles",
                       {collection_id, style_id()}, error_responses({404}));
  get["responses"]["200"] = {{"description", "The SLD document"}, {"content", sld}};
  json put = operation("putStyle", "Adds or replaces a style (admins)", "Styles",
                       {collection_id, style_id()}, error_responses({400, 401, 403, 404}));
  put["requestBody"] = {
      {"required", true},
      {"description", "An SLD 1.0 or SE 1.1 document with one NamedLayer and UserStyle"},
      {"content", sld}};
  put["responses"]["200"] = body_response(
      "The stored style", "application/json",
      {{"type", "object"}, {"properties", {{"id", kText}, {"title", kText}, {"updated", kText}}}});
  put["security"] = signed_in(true);
  json remove = operation("deleteStyle", "Removes a style (admins)", "Styles",
                          {collection_id, style_id()}, error_responses({401, 403, 404}));
  remove["responses"]["204"] = {{"description", "Removed"}};
  remove["security"] = signed_in(true);
  paths["/collections/{collectionId}/styles/{styleId}"] = {
      {"get", get}, {"put", put}, {"delete", remove}};

  json legend = operation("getLegend", "The legend of a style", "Styles",
                          {collection_id, style_id()}, error_responses({404}));
  legend["responses"]["200"] = {{"description", "The legend"},
                                {"content", {{"image/png", {{"schema", kBinary}}}}}};
  paths["/collections/{collectionId}/styles/{styleId}/legend"] = {{"get", legend}};
}

struct TileFamily {
  std::string prefix;
  std::string id;  // operationId suffix
  std::string what;
  bool vector;
  bool dataset;  // all collections (?collections=) or one
  bool styled;
};

void add_tile_family(json& paths, const TileFamily& f) {
  json parameters = json::array();
  if (!f.dataset) parameters.push_back(ref("parameters", "collectionId"));
  if (f.styled) parameters.push_back(style_id());
  if (f.dataset)
    parameters.push_back(
        query_parameter("collections", "The collections to draw, comma-separated (all by default).",
                        {{"type", "array"}, {"items", kText}}));
  json list = operation("getTileSets" + f.id, "The tilesets of " + f.what, "Tiles", parameters,
                        error_responses({400, 404}));
  list["responses"]["200"] = body_response("The tilesets, one per tile matrix set",
                                           "application/json", {{"type", "object"}});
  paths[f.prefix] = {{"get", list}};

  parameters.push_back(ref("parameters", "tileMatrixSetId"));
  json one = operation("getTileSet" + f.id, "A tileset of " + f.what, "Tiles", parameters,
                       error_responses({400, 404}));
  one["responses"]["200"] = body_response("The tileset (TileJSON-like, with its limits and layers)",
                                          "application/json", {{"type", "object"}});
  paths[f.prefix + "/{tileMatrixSetId}"] = {{"get", one}};

  for (const char* name : {"tileMatrix", "tileRow", "tileCol"})
    parameters.push_back(
        path_parameter(name, std::string("The tile's ") + name + ".", {{"type", "integer"}}));
  if (!f.dataset) {
    parameters.push_back(
        query_parameter("filter",
                        "A CQL2 filter on the collection's queryables (not for the "
                        "tiles of several collections)."));
    parameters.push_back(ref("parameters", "filter-lang"));
  }
  json content;
  if (f.vector) {
    content = {{"application/vnd.mapbox-vector-tile", {{"schema", kBinary}}}};
  } else {
    parameters.push_back(query_parameter("f", "The image format.",
                                         {{"type", "string"},
                                          {"enum", {"png", "png8", "jpeg", "jpg", "webp"}},
                                          {"default", "png"}}));
    parameters.push_back(query_parameter("transparent", "A transparent background (png, webp).",
                                         {{"type", "boolean"}, {"default", true}}));
    for (const char* media : {"image/png", "image/jpeg", "image/webp"})
      content[media] = {{"schema", kBinary}};
  }
  json tile = operation("getTile" + f.id, "A tile of " + f.what, "Tiles", parameters,
                        error_responses({400, 404, 406}));
  tile["responses"]["200"] = {{"description", "The tile"}, {"content", content}};
  paths[f.prefix + "/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"] = {{"get", tile}};
}

void add_tile_paths(json& paths, json& components) {
  components["parameters"]["tileMatrixSetId"] = path_parameter(
      "tileMatrixSetId", "The tile matrix set (WebMercatorQuad, WorldCRS84Quad, ...).");
  json sets = operation("getTileMatrixSets", "The tile matrix sets", "Tiles", json::array(),
                        error_responses({}));
  sets["responses"]["200"] =
      body_response("The tile matrix sets", "application/json", {{"type", "object"}});
  paths["/tileMatrixSets"] = {{"get", sets}};
  json set = operation("getTileMatrixSet", "A tile matrix set (OGC 2D TMS 2.0)", "Tiles",
                       json::array({ref("parameters", "tileMatrixSetId")}), error_responses({404}));
  set["responses"]["200"] =
      body_response("The tile matrix set", "application/json", {{"type", "object"}});
  paths["/tileMatrixSets/{tileMatrixSetId}"] = {{"get", set}};

  for (const TileFamily& f :
       {TileFamily{"/tiles", "Vector", "the collections as vector tiles", true, true, false},
        TileFamily{"/map/tiles", "Map", "the map of the collections", false, true, false},
        TileFamily{"/collections/{collectionId}/tiles", "CollectionVector",
                   "a collection as vector tiles", true, false, false},
        TileFamily{"/collections/{collectionId}/map/tiles", "CollectionMap", "a collection's map",
                   false, false, false},
        TileFamily{"/collections/{collectionId}/styles/{styleId}/map/tiles", "StyledMap",
                   "a collection's map in a style", false, false, true}})
    add_tile_family(paths, f);
}

// An OGC web service answering key-value-pair requests, one operation per
// REQUEST value, so the parameters are those common to all; the capabilities
// document lists the rest.
json kvp_operation(const std::string& id, const std::string& service, const std::string& requests,
                   const std::string& main_parameters) {
  json op = operation(id, service + " (" + requests + ")", "OGC web services",
                      {query_parameter("SERVICE", "The service (names are case-insensitive).",
                                       {{"type", "string"}, {"enum", {service}}}),
                       query_parameter("REQUEST", "The operation: " + requests + "."),
                       query_parameter("VERSION", "The protocol version.")},
                      json::object());
  op["description"] = "Other parameters by operation: " + main_parameters +
                      ". Errors are OGC exception reports (XML) with status 400 or 404.";
  op["responses"]["200"] = {
      {"description", "The operation's answer: capabilities and GML as XML, images, features"},
      {"content",
       {{"application/xml", {{"schema", kText}}},
        {"image/png", {{"schema", kBinary}}},
        {"application/json", {{"schema", {{"type", "object"}}}}}}}};
  const json report = {{"description", "An OGC exception report"},
                       {"content", {{"application/xml", {{"schema", kText}}}}}};
  op["responses"]["400"] = report;
  op["responses"]["404"] = report;
  op["responses"]["500"] = report;
  return op;
}

void add_service_paths(json& paths) {
  paths["/wms"] = {
      {"get",
       kvp_operation("wms", "WMS", "GetCapabilities, GetMap, GetFeatureInfo, GetLegendGraphic",
                     "GetMap: LAYERS, STYLES, CRS (1.3.0) or SRS (1.1.1), BBOX, WIDTH, HEIGHT, "
                     "FORMAT, TRANSPARENT, BGCOLOR, "
                     "SLD_BODY, CQL_FILTER; GetFeatureInfo: also QUERY_LAYERS, I/J (X/Y), "
                     "INFO_FORMAT, FEATURE_COUNT; "
                     "GetLegendGraphic: LAYER, STYLE, FORMAT, RULE")}};
  json wfs_get = kvp_operation(
      "wfsGet", "WFS",
      "GetCapabilities, DescribeFeatureType, GetFeature, GetPropertyValue, ListStoredQueries, "
      "DescribeStoredQueries",
      "GetFeature: TYPENAMES (TYPENAME), COUNT (MAXFEATURES), STARTINDEX, BBOX, FILTER (FES), "
      "RESOURCEID (FEATUREID), "
      "PROPERTYNAME, SORTBY, SRSNAME, OUTPUTFORMAT, RESULTTYPE, STOREDQUERY_ID; GetPropertyValue: "
      "VALUEREFERENCE; "
      "GetCapabilities: ACCEPTVERSIONS");
  json wfs_post =
      operation("wfsPost",
                "WFS 2.0 / 1.1 requests as XML, among them Transaction (Insert, Update, "
                "Delete; with a bearer token or session)",
                "OGC web services", json::array(), json::object());
  wfs_post["requestBody"] = {
      {"required", true},
      {"content", {{"application/xml", {{"schema", kText}}}, {"text/xml", {{"schema", kText}}}}}};
  wfs_post["responses"] = wfs_get["responses"];
  for (const char* status :
       {"401", "403", "409"})  // a Transaction's: who, and features changed meanwhile
    wfs_post["responses"][status] = wfs_get["responses"]["400"];
  // Anonymous for queries; a Transaction needs an editor, reviewer or admin.
  wfs_post["security"] = signed_in(true);
  wfs_post["security"].insert(wfs_post["security"].begin(), json::object());
  paths["/wfs"] = {{"get", wfs_get}, {"post", wfs_post}};
  json csw_get = kvp_operation(
      "cswGet", "CSW", "GetCapabilities, DescribeRecord, GetRecords, GetRecordById, GetDomain",
      "GetRecords: TYPENAMES, ELEMENTSETNAME, OUTPUTSCHEMA, RESULTTYPE, STARTPOSITION, MAXRECORDS, "
      "CONSTRAINTLANGUAGE (FILTER, CQL_TEXT), CONSTRAINT, SORTBY; GetRecordById: ID, ELEMENTSETNAME, "
      "OUTPUTSCHEMA; GetDomain: PARAMETERNAME or PROPERTYNAME");
  json csw_post = operation("cswPost", "CSW 2.0.2 (ISO Application Profile 1.0) requests as XML", "OGC web services",
                            json::array(), json::object());
  csw_post["requestBody"] = wfs_post["requestBody"];
  csw_post["responses"] = csw_get["responses"];
  for (const char* status : {"401", "403"})  // Transaction: refused
    csw_post["responses"][status] = csw_get["responses"]["400"];
  paths["/csw"] = {{"get", csw_get}, {"post", csw_post}};
  paths["/wmts"] = {
      {"get", kvp_operation(
                  "wmts", "WMTS", "GetCapabilities, GetTile",
                  "GetTile: LAYER, STYLE, FORMAT, TILEMATRIXSET, TILEMATRIX, TILEROW, TILECOL")}};

  json caps = operation("wmtsCapabilities", "The WMTS capabilities (RESTful)", "OGC web services",
                        json::array(), json::object());
  caps["responses"]["200"] = {{"description", "The capabilities"},
                              {"content", {{"application/xml", {{"schema", kText}}}}}};
  paths["/wmts/1.0.0/WMTSCapabilities.xml"] = {{"get", caps}};
  json tile = operation(
      "wmtsTile",
      "A WMTS tile (RESTful); tileCol ends with the format's extension (.png, .jpeg, "
      "...)",
      "OGC web services",
      {path_parameter("layer", "The layer (a collection)."), path_parameter("style", "The style."),
       path_parameter("tileMatrixSet", "The tile matrix set."),
       path_parameter("tileMatrix", "The tile matrix."), path_parameter("tileRow", "The row."),
       path_parameter("tileCol", "The column, with the format's extension (3.png).")},
      json::object());
  tile["responses"]["200"] = {
      {"description", "The tile"},
      {"content", {{"image/png", {{"schema", kBinary}}}, {"image/jpeg", {{"schema", kBinary}}}}}};
  tile["responses"]["400"] = caps["responses"]["200"];
  tile["responses"]["400"]["description"] = "An OGC exception report";
  tile["responses"]["404"] = tile["responses"]["400"];
  paths["/wmts/1.0.0/{layer}/{style}/{tileMatrixSet}/{tileMatrix}/{tileRow}/{tileCol}"] = {
      {"get", tile}};
}

json file_operation(const std::string& id, const std::string& summary,
                    const std::vector<std::string>& segments) {
  json parameters = json::array();
  for (const auto& s : segments) parameters.push_back(path_parameter(s, "A path segment."));
  json op = operation(id, summary, "Files", parameters, json::object());
  op["responses"]["200"] = {{"description", "The file"},
                            {"content", {{"*/*", {{"schema", kBinary}}}}}};
  op["responses"]["404"] = {{"description", "No such file"}};
  return op;
}

void add_file_paths(json& paths) {
  paths["/static/{s0}"] = {
      {"get", file_operation("getStatic1", "A static file (scripts, symbols)", {"s0"})}};
  paths["/static/{s0}/{s1}"] = {
      {"get", file_operation("getStatic2", "A static file", {"s0", "s1"})}};
  paths["/static/{s0}/{s1}/{s2}"] = {
      {"get", file_operation("getStatic3", "A static file", {"s0", "s1", "s2"})}};
  json portal =
      file_operation("getPortal", "The web portal's page (/portal redirects to /portal/)", {});
  portal["responses"]["301"] = {{"description", "To portal/"}};
  paths["/portal"] = {{"get", portal}};
  paths["/portal/{s0}"] = {
      {"get", file_operation("getPortalFile", "A file of the portal", {"s0"})}};
  paths["/portal/assets/{s0}"] = {
      {"get", file_operation("getPortalAsset",
                             "A script or style of the portal "
                             "(named by content hash, cached for a year)",
                             {"s0"})}};
}

}  // namespace

void add_map_paths(json& paths, json& components) {
  add_style_paths(paths);
  add_tile_paths(paths, components);
  add_service_paths(paths);
  add_file_paths(paths);
}

}  // namespace amis::api::features::oas
