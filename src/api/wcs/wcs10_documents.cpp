#include "api/wcs/wcs10_documents.hpp"

namespace amis::api::wcs {
namespace {

constexpr const char* kNamespaces =
    " xmlns=\"http://www.opengis.net/wcs\" xmlns:gml=\"http://www.opengis.net/gml\""
    " xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

std::string text(std::string_view s) { return xml_text(s); }
std::string number(double v) { return xml_number(v); }

void request_type(std::string& out, const char* name, const std::string& url) {
  out += "      <" + std::string(name) + "><DCPType><HTTP><Get><OnlineResource xlink:type=\"simple\" xlink:href=\"" +
         text(url) + "\"/></Get></HTTP></DCPType></" + name + ">\n";
}

// description?, name, label, lonLatEnvelope: the brief of a coverage (both documents).
void brief(std::string& out, const DescribedCoverage& c, const char* indent) {
  const std::string in(indent);
  const auto& e = c.layer.extent;
  if (!c.layer.description.empty()) out += in + "<description>" + text(c.layer.description) + "</description>\n";
  out += in + "<name>" + text(c.layer.id) + "</name>\n";
  out += in + "<label>" + text(c.layer.title.empty() ? c.layer.id : c.layer.title) + "</label>\n";
  out += in + "<lonLatEnvelope srsName=\"urn:ogc:def:crs:OGC:1.3:CRS84\"><gml:pos>" + number(e.min_x) + " " +
         number(e.min_y) + "</gml:pos><gml:pos>" + number(e.max_x) + " " + number(e.max_y) +
         "</gml:pos></lonLatEnvelope>\n";
}

void domain_set(std::string& out, const DescribedCoverage& c) {
  const auto& info = c.info;
  const auto e = info.envelope();
  const std::string crs = wcs10_crs_name(info);
  out += "    <domainSet>\n      <spatialDomain>\n";
  out += "        <gml:Envelope srsName=\"" + crs + "\"><gml:pos>" + number(e.min_x) + " " + number(e.min_y) +
         "</gml:pos><gml:pos>" + number(e.max_x) + " " + number(e.max_y) + "</gml:pos></gml:Envelope>\n";
  out += "        <gml:RectifiedGrid dimension=\"2\" srsName=\"" + crs + "\">\n";
  out += "          <gml:limits><gml:GridEnvelope><gml:low>0 0</gml:low><gml:high>" + std::to_string(info.width - 1) +
         " " + std::to_string(info.height - 1) + "</gml:high></gml:GridEnvelope></gml:limits>\n";
  out += "          <gml:axisName>x</gml:axisName>\n          <gml:axisName>y</gml:axisName>\n";
  // The origin is the centre of the top-left cell.
  out += "          <gml:origin><gml:pos>" + number(e.min_x + info.resolution_x() / 2) + " " +
         number(e.max_y - info.resolution_y() / 2) + "</gml:pos></gml:origin>\n";
  out += "          <gml:offsetVector>" + number(info.resolution_x()) + " 0</gml:offsetVector>\n";
  out += "          <gml:offsetVector>0 " + number(-info.resolution_y()) + "</gml:offsetVector>\n";
  out += "        </gml:RectifiedGrid>\n      </spatialDomain>\n    </domainSet>\n";
}

void range_set(std::string& out, const DescribedCoverage& c) {
  out += "    <rangeSet>\n      <RangeSet>\n        <name>bands</name>\n        <label>";
  for (std::size_t i = 0; i < c.bands.size(); ++i) {
    if (i) out += ", ";
    out += text(c.bands[i].name);
    if (!c.bands[i].unit.empty()) out += " (" + text(c.bands[i].unit) + ")";
  }
  out += "</label>\n";
  out += "        <axisDescription>\n          <AxisDescription>\n            <name>Band</name>\n"
         "            <label>Band</label>\n            <values>";
  for (std::size_t i = 0; i < c.bands.size(); ++i) out += "<singleValue>" + std::to_string(i + 1) + "</singleValue>";
  out += "</values>\n          </AxisDescription>\n        </axisDescription>\n";
  // One nil value for the range (WCS 1.0 has no per-band one): the first band's.
  if (!c.bands.empty() && c.bands.front().nodata)
    out += "        <nullValues><singleValue>" + number(*c.bands.front().nodata) + "</singleValue></nullValues>\n";
  out += "      </RangeSet>\n    </rangeSet>\n";
}

}  // namespace

std::string wcs10_crs_name(const coverage::CoverageInfo& info) {
  return "EPSG:" + std::to_string(info.crs && !info.crs->is_crs84() ? info.crs->epsg : 4326);
}

std::string wcs10_capabilities(const std::string& service_url, const WcsServiceInfo& service,
                               const std::vector<DescribedCoverage>& coverages) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<WCS_Capabilities";
  out += kNamespaces;
  out += " version=\"1.0.0\" xsi:schemaLocation=\"http://www.opengis.net/wcs "
         "http://schemas.opengis.net/wcs/1.0.0/wcsCapabilities.xsd\">\n";
  out += "  <Service>\n";
  if (!service.description.empty()) out += "    <description>" + text(service.description) + "</description>\n";
  out += "    <name>AMIS WCS</name>\n    <label>" + text(service.title) + "</label>\n";
  out += "    <fees>NONE</fees>\n    <accessConstraints>NONE</accessConstraints>\n  </Service>\n";
  out += "  <Capability>\n    <Request>\n";
  const std::string url = service_url + "?";
  for (const char* op : {"GetCapabilities", "DescribeCoverage", "GetCoverage"}) request_type(out, op, url);
  out += "    </Request>\n    <Exception><Format>application/vnd.ogc.se_xml</Format></Exception>\n  </Capability>\n";
  out += "  <ContentMetadata>\n";
  for (const auto& c : coverages) {
    out += "    <CoverageOfferingBrief>\n";
    brief(out, c, "      ");
    out += "    </CoverageOfferingBrief>\n";
  }
  out += "  </ContentMetadata>\n</WCS_Capabilities>\n";
  return out;
}

std::string wcs10_coverage_description(const std::vector<DescribedCoverage>& coverages) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CoverageDescription";
  out += kNamespaces;
  out += " version=\"1.0.0\" xsi:schemaLocation=\"http://www.opengis.net/wcs "
         "http://schemas.opengis.net/wcs/1.0.0/describeCoverage.xsd\">\n";
  for (const auto& c : coverages) {
    out += "  <CoverageOffering>\n";
    brief(out, c, "    ");
    domain_set(out, c);
    range_set(out, c);
    const std::string native = wcs10_crs_name(c.info);
    // Any EPSG CRS PROJ knows is taken; these are the ones listed.
    out += "    <supportedCRSs>\n      <requestResponseCRSs>" + native + "</requestResponseCRSs>\n";
    for (const char* other : {"EPSG:4326", "EPSG:3857"})
      if (native != other) out += "      <requestResponseCRSs>" + std::string(other) + "</requestResponseCRSs>\n";
    out += "      <nativeCRSs>" + native + "</nativeCRSs>\n    </supportedCRSs>\n";
    out += "    <supportedFormats nativeFormat=\"GeoTIFF\">\n";
    for (const char* f : kWcs10Formats) out += "      <formats>" + std::string(f) + "</formats>\n";
    out += "    </supportedFormats>\n";
    out += "    <supportedInterpolations default=\"nearest neighbor\">\n"
           "      <interpolationMethod>nearest neighbor</interpolationMethod>\n"
           "      <interpolationMethod>bilinear</interpolationMethod>\n"
           "      <interpolationMethod>bicubic</interpolationMethod>\n"
           "    </supportedInterpolations>\n";
    out += "  </CoverageOffering>\n";
  }
  out += "</CoverageDescription>\n";
  return out;
}

std::string wcs10_exception_report(const core::OgcError& error) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.2.0\" "
      "xmlns=\"http://www.opengis.net/ogc\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.opengis.net/ogc http://schemas.opengis.net/wcs/1.0.0/OGC-exception.xsd\">\n"
      "  <ServiceException";
  if (!error.code().empty()) out += " code=\"" + text(error.code()) + "\"";
  if (!error.locator().empty()) out += " locator=\"" + text(error.locator()) + "\"";
  out += ">" + text(error.what()) + "</ServiceException>\n</ServiceExceptionReport>\n";
  return out;
}

}  // namespace amis::api::wcs
