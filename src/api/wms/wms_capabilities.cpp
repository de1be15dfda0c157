#include "api/wms/wms_capabilities.hpp"

#include "core/crs.hpp"
#include "encode/xml_text.hpp"
#include "http/request.hpp"

namespace amis::api::wms {
namespace {

using encode::append_xml_text;

std::string number(double v) {
  std::string out;
  encode::append_xml_number(out, v);
  return out;
}

std::string text(std::string_view s) {
  std::string out;
  append_xml_text(out, s);
  return out;
}

// The CRS codes each layer lists (WMS 1.3 spelling).
std::vector<std::string> crs_names(bool v130) {
  std::vector<std::string> names = {v130 ? "CRS:84" : "EPSG:4326"};
  for (const auto& crs : core::advertised_crs())
    if (!crs.is_crs84() && (v130 || crs.epsg != 4326)) names.push_back("EPSG:" + std::to_string(crs.epsg));
  return names;
}

std::string geographic_box(bool v130, const core::Envelope& e) {
  if (v130)
    return "<EX_GeographicBoundingBox><westBoundLongitude>" + number(e.min_x) + "</westBoundLongitude><eastBoundLongitude>" +
           number(e.max_x) + "</eastBoundLongitude><southBoundLatitude>" + number(e.min_y) +
           "</southBoundLatitude><northBoundLatitude>" + number(e.max_y) + "</northBoundLatitude></EX_GeographicBoundingBox>"
           "<BoundingBox CRS=\"CRS:84\" minx=\"" + number(e.min_x) + "\" miny=\"" + number(e.min_y) + "\" maxx=\"" +
           number(e.max_x) + "\" maxy=\"" + number(e.max_y) + "\"/>"
           "<BoundingBox CRS=\"EPSG:4326\" minx=\"" + number(e.min_y) + "\" miny=\"" + number(e.min_x) + "\" maxx=\"" +
           number(e.max_y) + "\" maxy=\"" + number(e.max_x) + "\"/>";
  return "<LatLonBoundingBox minx=\"" + number(e.min_x) + "\" miny=\"" + number(e.min_y) + "\" maxx=\"" +
         number(e.max_x) + "\" maxy=\"" + number(e.max_y) + "\"/>";
}

std::string online_resource(const std::string& href) {
  return "<OnlineResource xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:type=\"simple\" xlink:href=\"" +
         text(href) + "\"/>";
}

std::string style_element(bool v130, const std::string& url, const std::string& layer, const LayerStyle& s) {
  std::string out = "<Style><Name>" + text(s.name) + "</Name><Title>" + text(s.title.empty() ? s.name : s.title) +
                    "</Title>";
  if (!s.abstract.empty()) out += "<Abstract>" + text(s.abstract) + "</Abstract>";
  if (s.legend_width == 0) return out + "</Style>";  // no legend image
  const std::string legend = url + "?SERVICE=WMS&VERSION=" + (v130 ? "1.3.0" : "1.1.1") +
                             "&REQUEST=GetLegendGraphic&FORMAT=image/png&LAYER=" + http::percent_encode(layer) +
                             "&STYLE=" + http::percent_encode(s.name);
  out += "<LegendURL width=\"" + std::to_string(s.legend_width) + "\" height=\"" + std::to_string(s.legend_height) +
         "\"><Format>image/png</Format>" + online_resource(legend) +
         "</LegendURL></Style>";
  return out;
}

}  // namespace

const std::vector<std::string>& feature_info_formats() {
  // QGIS (3.22) identifies with the last feature format it knows from this list, and
  // reads application/json fully but not our GML 3.2 (its GetFeatureInfo reader knows
  // GML 2 geometry names only: no attributes for a MultiSurface, a point's coordinates
  // as an attribute): JSON comes after GML.
  static const std::vector<std::string> formats = {"text/html", "application/vnd.ogc.gml", "application/json",
                                                   "text/plain"};
  return formats;
}

std::string capabilities_document(bool v130, const CapabilitiesInfo& info, const std::vector<CapabilitiesLayer>& layers) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (v130)
    out += "<WMS_Capabilities version=\"1.3.0\" xmlns=\"http://www.opengis.net/wms\""
           " xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
           " xsi:schemaLocation=\"http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd\">";
  else
    out += "<WMT_MS_Capabilities version=\"1.1.1\">";
  out += "<Service><Name>" + std::string(v130 ? "WMS" : "OGC:WMS") + "</Name><Title>" + text(info.title) +
         "</Title><Abstract>" + text(info.description) + "</Abstract>" + online_resource(info.url) +
         "<Fees>none</Fees><AccessConstraints>none</AccessConstraints>";
  if (v130)
    out += "<LayerLimit>" + std::to_string(info.layer_limit) + "</LayerLimit><MaxWidth>" + std::to_string(info.max_width) + "</MaxWidth><MaxHeight>" + std::to_string(info.max_height) +
           "</MaxHeight>";
  out += "</Service><Capability><Request>";
  const std::string dcp = "<DCPType><HTTP><Get>" + online_resource(info.url + "?") + "</Get></HTTP></DCPType>";
  out += "<GetCapabilities><Format>" + std::string(v130 ? "text/xml" : "application/vnd.ogc.wms_xml") + "</Format>" +
         dcp + "</GetCapabilities>";
  out += "<GetMap><Format>image/png</Format><Format>image/png; mode=8bit</Format><Format>image/jpeg</Format>"
         "<Format>image/webp</Format>" + dcp + "</GetMap>";
  out += "<GetFeatureInfo>";
  for (const auto& f : feature_info_formats()) out += "<Format>" + f + "</Format>";
  out += dcp + "</GetFeatureInfo>";
  // GetLegendGraphic is an SLD extension: in 1.3.0 it goes in the extended
  // capabilities, which the core schema does not know, so only 1.1.1 lists it.
  if (!v130) out += "<GetLegendGraphic><Format>image/png</Format><Format>image/jpeg</Format>" + dcp + "</GetLegendGraphic>";
  out += "</Request>";
  out += v130 ? "<Exception><Format>XML</Format><Format>INIMAGE</Format><Format>BLANK</Format></Exception>"
              : "<Exception><Format>application/vnd.ogc.se_xml</Format><Format>application/vnd.ogc.se_inimage</Format>"
                "<Format>application/vnd.ogc.se_blank</Format></Exception>";
  out += "<Layer><Title>" + text(info.title) + "</Title>";
  const char* crs_element = v130 ? "CRS" : "SRS";
  for (const auto& name : crs_names(v130)) out += std::string("<") + crs_element + ">" + name + "</" + crs_element + ">";
  core::Envelope all;
  for (const auto& l : layers)
    if (l.collection.extent) all.expand(*l.collection.extent);
  if (!all.empty()) out += geographic_box(v130, all);
  for (const auto& l : layers) {
    const auto& c = l.collection;
    out += std::string("<Layer queryable=\"") + (l.queryable ? "1" : "0") + "\"><Name>" + text(c.id) + "</Name><Title>" + text(c.title.empty() ? c.id : c.title) +
           "</Title>";
    if (!c.description.empty()) out += "<Abstract>" + text(c.description) + "</Abstract>";
    if (!c.keywords.empty()) {
      out += "<KeywordList>";
      for (const auto& k : c.keywords) out += "<Keyword>" + text(k) + "</Keyword>";
      out += "</KeywordList>";
    }
    if (c.extent && !c.extent->empty()) out += geographic_box(v130, *c.extent);
    if (!c.attribution.empty()) out += "<Attribution><Title>" + text(c.attribution) + "</Title></Attribution>";
    for (const auto& s : l.styles) out += style_element(v130, info.url, c.id, s);
    out += "</Layer>";
  }
  out += "</Layer></Capability>";
  out += v130 ? "</WMS_Capabilities>\n" : "</WMT_MS_Capabilities>\n";
  return out;
}

}  // namespace amis::api::wms
