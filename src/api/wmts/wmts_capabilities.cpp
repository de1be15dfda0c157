#include "api/wmts/wmts_capabilities.hpp"

#include "encode/xml_text.hpp"
#include "http/request.hpp"
#include "tiles/tile_matrix_set.hpp"

namespace amis::api::wmts {
namespace {

using encode::append_xml_number;
using encode::append_xml_text;

void element(std::string& out, const char* name, std::string_view text) {
  encode::append_xml_element(out, name, text);
}

void number_pair(std::string& out, const char* name, double a, double b) {
  out += '<';
  out += name;
  out += '>';
  append_xml_number(out, a);
  out += ' ';
  append_xml_number(out, b);
  out += "</";
  out += name;
  out += '>';
}

void operation(std::string& out, const char* name, const std::string& base) {
  out += "<ows:Operation name=\"";
  out += name;
  out += "\"><ows:DCP><ows:HTTP><ows:Get xlink:href=\"";
  append_xml_text(out, base + "/wmts?");
  out += "\"><ows:Constraint name=\"GetEncoding\"><ows:AllowedValues><ows:Value>KVP</ows:Value>"
         "</ows:AllowedValues></ows:Constraint></ows:Get><ows:Get xlink:href=\"";
  append_xml_text(out, base + "/wmts/1.0.0/");
  out += "\"><ows:Constraint name=\"GetEncoding\"><ows:AllowedValues><ows:Value>RESTful</ows:Value>"
         "</ows:AllowedValues></ows:Constraint></ows:Get></ows:HTTP></ows:DCP></ows:Operation>";
}

void dimension(std::string& out, const LightDimension& d) {
  out += "<Dimension>";
  element(out, "ows:Title", d.title);
  element(out, "ows:Identifier", d.identifier);
  if (*d.uom) element(out, "ows:UOM", d.uom);
  element(out, "Default", d.default_value);
  for (const char* v : d.values) element(out, "Value", v);
  out += "</Dimension>";
}

void layer(std::string& out, const std::string& base, const LayerStyles& l) {
  const core::Collection& c = l.collection;
  out += "<Layer>";
  element(out, "ows:Title", c.title.empty() ? c.id : c.title);
  if (!c.description.empty()) element(out, "ows:Abstract", c.description);
  if (!c.keywords.empty()) {
    out += "<ows:Keywords>";
    for (const auto& k : c.keywords) element(out, "ows:Keyword", k);
    out += "</ows:Keywords>";
  }
  const core::Envelope e = c.extent && !c.extent->empty() ? *c.extent : core::Envelope{-180, -90, 180, 90};
  out += "<ows:WGS84BoundingBox>";
  number_pair(out, "ows:LowerCorner", e.min_x, e.min_y);
  number_pair(out, "ows:UpperCorner", e.max_x, e.max_y);
  out += "</ows:WGS84BoundingBox>";
  element(out, "ows:Identifier", c.id);
  for (std::size_t i = 0; i < l.styles.size(); ++i) {
    out += i == 0 ? "<Style isDefault=\"true\">" : "<Style>";
    element(out, "ows:Title", l.styles[i].second);
    element(out, "ows:Identifier", l.styles[i].first);
    out += "</Style>";
  }
  auto offered = [&](const TileFormat& f) { return !l.raster || std::string_view(f.extension) != "mvt"; };
  for (const auto& f : tile_formats())
    if (offered(f)) element(out, "Format", f.media_type);
  if (l.raster)
    for (const auto& d : kLightDimensions) dimension(out, d);
  for (const auto& s : amis::tiles::tile_matrix_sets()) {
    out += "<TileMatrixSetLink>";
    element(out, "TileMatrixSet", s.id);
    out += "</TileMatrixSetLink>";
  }
  for (const auto& f : tile_formats()) {
    if (!offered(f)) continue;
    out += "<ResourceURL format=\"";
    append_xml_text(out, f.media_type);
    out += "\" resourceType=\"tile\" template=\"";
    append_xml_text(out, base + "/wmts/1.0.0/" + http::percent_encode(c.id) +
                             "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}." + f.extension +
                             (l.raster ? "?Azimuth={Azimuth}&Altitude={Altitude}&ZFactor={ZFactor}" : ""));
    out += "\"/>";
  }
  out += "</Layer>";
}

void tile_matrix_set(std::string& out, const amis::tiles::TileMatrixSet& s) {
  out += "<TileMatrixSet>";
  element(out, "ows:Title", s.title);
  element(out, "ows:Identifier", s.id);
  element(out, "ows:SupportedCRS", s.crs_urn);
  if (s.id == "WebMercatorQuad") element(out, "WellKnownScaleSet", "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible");
  for (int level = 0; level <= s.max_level; ++level) {
    const auto m = s.matrix(level);
    out += "<TileMatrix>";
    element(out, "ows:Identifier", std::to_string(level));
    out += "<ScaleDenominator>";
    append_xml_number(out, m.scale_denominator);
    out += "</ScaleDenominator>";
    // In the CRS's axis order: CRS84 and EPSG:3857 are both easting first.
    number_pair(out, "TopLeftCorner", s.origin_x, s.origin_y);
    element(out, "TileWidth", std::to_string(s.tile_size));
    element(out, "TileHeight", std::to_string(s.tile_size));
    element(out, "MatrixWidth", std::to_string(m.matrix_width));
    element(out, "MatrixHeight", std::to_string(m.matrix_height));
    out += "</TileMatrix>";
  }
  out += "</TileMatrixSet>";
}

}  // namespace

const std::vector<TileFormat>& tile_formats() {
  static const std::vector<TileFormat> formats = {{"image/png", "png"},
                                                  {"image/jpeg", "jpg"},
                                                  {"image/webp", "webp"},
                                                  {"application/vnd.mapbox-vector-tile", "mvt"}};
  return formats;
}

std::string capabilities_document(const std::string& base, const std::string& title, const std::string& description,
                                  const std::vector<LayerStyles>& layers) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Capabilities xmlns=\"http://www.opengis.net/wmts/1.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\""
      " xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
      " xsi:schemaLocation=\"http://www.opengis.net/wmts/1.0"
      " http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd\" version=\"1.0.0\">";
  out += "<ows:ServiceIdentification>";
  element(out, "ows:Title", title);
  element(out, "ows:Abstract", description);
  out += "<ows:ServiceType>OGC WMTS</ows:ServiceType><ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion>"
         "<ows:Fees>none</ows:Fees><ows:AccessConstraints>none</ows:AccessConstraints>"
         "</ows:ServiceIdentification>";
  out += "<ows:OperationsMetadata>";
  operation(out, "GetCapabilities", base);
  operation(out, "GetTile", base);
  out += "</ows:OperationsMetadata><Contents>";
  for (const auto& l : layers) layer(out, base, l);
  for (const auto& s : amis::tiles::tile_matrix_sets()) tile_matrix_set(out, s);
  out += "</Contents><ServiceMetadataURL xlink:href=\"";
  append_xml_text(out, base + "/wmts/1.0.0/WMTSCapabilities.xml");
  out += "\"/></Capabilities>\n";
  return out;
}

}  // namespace amis::api::wmts
