#include "api/wcs/wcs_documents.hpp"

#include <cstdio>

#include "api/coverages/coverage_documents.hpp"
#include "coverage/coverage_request.hpp"
#include "encode/xml_text.hpp"

namespace amis::api::wcs {
namespace {

constexpr const char* kNamespaces =
    " xmlns:wcs=\"http://www.opengis.net/wcs/2.0\" xmlns:ows=\"http://www.opengis.net/ows/2.0\""
    " xmlns:gml=\"http://www.opengis.net/gml/3.2\" xmlns:gmlcov=\"http://www.opengis.net/gmlcov/1.0\""
    " xmlns:swe=\"http://www.opengis.net/swe/2.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

// The WCS 2.0 extensions implemented (their conformance class URIs), listed as ows:Profile.
constexpr const char* kProfiles[] = {
    "http://www.opengis.net/spec/WCS/2.0/conf/core",
    "http://www.opengis.net/spec/WCS_protocol-binding_get-kvp/1.0/conf/get-kvp",
    "http://www.opengis.net/spec/WCS_protocol-binding_post-xml/1.0/conf/post-xml",
    "http://www.opengis.net/spec/GMLCOV_geotiff-coverages/1.0/conf/geotiff-coverage",
    "http://www.opengis.net/spec/WCS_service-extension_crs/1.0/conf/crs",
    "http://www.opengis.net/spec/WCS_service-extension_scaling/1.0/conf/scaling",
    "http://www.opengis.net/spec/WCS_service-extension_range-subsetting/1.0/conf/record-subsetting",
    "http://www.opengis.net/spec/WCS_service-extension_interpolation/1.0/conf/interpolation",
};

std::string text(std::string_view s) { return xml_text(s); }
std::string number(double v) { return xml_number(v); }

// "a b" in the WCS axis order of the CRS.
std::string pair(const coverage::CoverageInfo& info, double x, double y) {
  return wcs_north_first(info) ? number(y) + " " + number(x) : number(x) + " " + number(y);
}

std::string axis_labels(const coverage::CoverageInfo& info) {
  if (info.geographic) return wcs_north_first(info) ? "Lat Long" : "Long Lat";
  return wcs_north_first(info) ? info.y_label + " " + info.x_label : info.x_label + " " + info.y_label;
}

void operation(std::string& out, const char* name, const std::string& url) {
  out += "    <ows:Operation name=\"" + std::string(name) + "\"><ows:DCP><ows:HTTP><ows:Get xlink:href=\"" + text(url) +
         "\"/><ows:Post xlink:href=\"" + text(url) +
         "\"><ows:Constraint name=\"PostEncoding\"><ows:AllowedValues><ows:Value>XML</ows:Value></ows:AllowedValues>"
         "</ows:Constraint></ows:Post></ows:HTTP></ows:DCP></ows:Operation>\n";
}

void range_type(std::string& out, const DescribedCoverage& c) {
  out += "    <gmlcov:rangeType>\n      <swe:DataRecord>\n";
  for (const auto& b : c.bands) {
    out += "        <swe:field name=\"" + text(b.name) + "\">\n          <swe:Quantity definition=\"" +
           text(coverages::data_type_uri(b.data_type)) + "\">\n";
    if (!b.description.empty()) out += "            <swe:description>" + text(b.description) + "</swe:description>\n";
    if (b.nodata)
      out += "            <swe:nilValues><swe:NilValues><swe:nilValue "
             "reason=\"http://www.opengis.net/def/nil/OGC/0/missing\">" +
             number(*b.nodata) + "</swe:nilValue></swe:NilValues></swe:nilValues>\n";
    out += b.unit.empty() ? "            <swe:uom xlink:href=\"http://www.opengis.net/def/uom/OGC/1.0/unity\"/>\n"
                          : "            <swe:uom code=\"" + text(b.unit) + "\"/>\n";
    out += "          </swe:Quantity>\n        </swe:field>\n";
  }
  out += "      </swe:DataRecord>\n    </gmlcov:rangeType>\n";
}

}  // namespace

std::string xml_text(std::string_view s) {
  std::string out;
  encode::append_xml_text(out, s);
  return out;
}

std::string xml_number(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.15g", v);
  return buffer;
}

std::string wcs_crs_uri(const coverage::CoverageInfo& info) {
  if (!info.crs) return "";
  if (info.crs->is_crs84()) return "http://www.opengis.net/def/crs/EPSG/0/4326";
  return info.crs->uri();
}

bool wcs_north_first(const coverage::CoverageInfo& info) {
  if (!info.crs) return false;
  if (info.crs->is_crs84()) return true;  // served as EPSG:4326
  return coverage::north_first(*info.crs);
}

std::string capabilities_document(const std::string& service_url, const WcsServiceInfo& service,
                                  const std::vector<DescribedCoverage>& coverages) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wcs:Capabilities";
  out += kNamespaces;
  out += " version=\"2.0.1\" xsi:schemaLocation=\"http://www.opengis.net/wcs/2.0 "
         "http://schemas.opengis.net/wcs/2.0/wcsAll.xsd\">\n";
  out += "  <ows:ServiceIdentification>\n    <ows:Title>" + text(service.title) + "</ows:Title>\n    <ows:Abstract>" +
         text(service.description) + "</ows:Abstract>\n";
  out += "    <ows:ServiceType codeSpace=\"OGC\">OGC WCS</ows:ServiceType>\n"
         "    <ows:ServiceTypeVersion>2.0.1</ows:ServiceTypeVersion>\n";
  for (const char* profile : kProfiles) out += "    <ows:Profile>" + std::string(profile) + "</ows:Profile>\n";
  out += "  </ows:ServiceIdentification>\n";
  out += "  <ows:ServiceProvider>\n    <ows:ProviderName>ASEAN Minerals Information System</ows:ProviderName>\n"
         "    <ows:ServiceContact/>\n  </ows:ServiceProvider>\n";
  out += "  <ows:OperationsMetadata>\n";
  const std::string url = service_url + "?";
  for (const char* op : {"GetCapabilities", "DescribeCoverage", "GetCoverage"}) operation(out, op, url);
  out += "  </ows:OperationsMetadata>\n";
  out += "  <wcs:ServiceMetadata>\n    <wcs:formatSupported>image/tiff</wcs:formatSupported>\n"
         "    <wcs:formatSupported>image/png</wcs:formatSupported>\n  </wcs:ServiceMetadata>\n";
  out += "  <wcs:Contents>\n";
  for (const auto& c : coverages) {
    const auto& e = c.layer.extent;
    out += "    <wcs:CoverageSummary>\n      <ows:Title>" + text(c.layer.title) + "</ows:Title>\n";
    if (!c.layer.description.empty()) out += "      <ows:Abstract>" + text(c.layer.description) + "</ows:Abstract>\n";
    out += "      <ows:WGS84BoundingBox>\n        <ows:LowerCorner>" + number(e.min_x) + " " + number(e.min_y) +
           "</ows:LowerCorner>\n        <ows:UpperCorner>" + number(e.max_x) + " " + number(e.max_y) +
           "</ows:UpperCorner>\n      </ows:WGS84BoundingBox>\n";
    out += "      <wcs:CoverageId>" + text(c.layer.id) + "</wcs:CoverageId>\n"
           "      <wcs:CoverageSubtype>RectifiedGridCoverage</wcs:CoverageSubtype>\n    </wcs:CoverageSummary>\n";
  }
  out += "  </wcs:Contents>\n</wcs:Capabilities>\n";
  return out;
}

std::string coverage_descriptions(const std::vector<DescribedCoverage>& coverages) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wcs:CoverageDescriptions";
  out += kNamespaces;
  out += " xsi:schemaLocation=\"http://www.opengis.net/wcs/2.0 http://schemas.opengis.net/wcs/2.0/wcsAll.xsd\">\n";
  for (const auto& c : coverages) {
    const auto& info = c.info;
    const std::string id = text(c.layer.id);
    const std::string crs = text(wcs_crs_uri(info));
    const auto e = info.envelope();
    const bool swap = wcs_north_first(info);
    out += "  <wcs:CoverageDescription gml:id=\"" + id + "\">\n";
    out += "    <gml:boundedBy>\n      <gml:Envelope srsName=\"" + crs + "\" axisLabels=\"" + axis_labels(info) +
           "\" uomLabels=\"" + info.uom + " " + info.uom + "\" srsDimension=\"2\">\n";
    out += "        <gml:lowerCorner>" + pair(info, e.min_x, e.min_y) + "</gml:lowerCorner>\n        <gml:upperCorner>" +
           pair(info, e.max_x, e.max_y) + "</gml:upperCorner>\n      </gml:Envelope>\n    </gml:boundedBy>\n";
    out += "    <wcs:CoverageId>" + id + "</wcs:CoverageId>\n";
    // The values are stored row by row, the x axis (longitude) varying fastest: when
    // latitude is the first grid axis, the sequence is +2 +1 (GDAL's WCS driver then
    // swaps the grid envelope and offsets back to columns and rows).
    if (swap)
      out += "    <gml:coverageFunction><gml:GridFunction><gml:sequenceRule axisOrder=\"+2 +1\">Linear"
             "</gml:sequenceRule><gml:startPoint>0 0</gml:startPoint></gml:GridFunction></gml:coverageFunction>\n";
    // Grid axes in the CRS's axis order (rows first when latitude comes first).
    const std::string high = swap ? std::to_string(info.height - 1) + " " + std::to_string(info.width - 1)
                                  : std::to_string(info.width - 1) + " " + std::to_string(info.height - 1);
    out += "    <gml:domainSet>\n      <gml:RectifiedGrid dimension=\"2\" gml:id=\"" + id + "-grid\">\n";
    out += "        <gml:limits><gml:GridEnvelope><gml:low>0 0</gml:low><gml:high>" + high +
           "</gml:high></gml:GridEnvelope></gml:limits>\n";
    out += "        <gml:axisLabels>" + axis_labels(info) + "</gml:axisLabels>\n";
    const double cx = e.min_x + info.resolution_x() / 2, cy = e.max_y - info.resolution_y() / 2;
    out += "        <gml:origin><gml:Point gml:id=\"" + id + "-origin\" srsName=\"" + crs + "\"><gml:pos>" +
           pair(info, cx, cy) + "</gml:pos></gml:Point></gml:origin>\n";
    const std::string along_x = "<gml:offsetVector srsName=\"" + crs + "\">" + pair(info, info.resolution_x(), 0) +
                                "</gml:offsetVector>\n";
    const std::string along_y = "<gml:offsetVector srsName=\"" + crs + "\">" + pair(info, 0, -info.resolution_y()) +
                                "</gml:offsetVector>\n";
    out += "        " + (swap ? along_y : along_x) + "        " + (swap ? along_x : along_y);
    out += "      </gml:RectifiedGrid>\n    </gml:domainSet>\n";
    range_type(out, c);
    out += "    <wcs:ServiceParameters>\n      <wcs:CoverageSubtype>RectifiedGridCoverage</wcs:CoverageSubtype>\n"
           "      <wcs:nativeFormat>image/tiff</wcs:nativeFormat>\n    </wcs:ServiceParameters>\n";
    out += "  </wcs:CoverageDescription>\n";
  }
  out += "</wcs:CoverageDescriptions>\n";
  return out;
}

}  // namespace amis::api::wcs
