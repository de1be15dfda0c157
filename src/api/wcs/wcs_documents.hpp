#pragma once
// The XML documents of WCS 2.0.1: Capabilities and CoverageDescriptions (GML 3.2,
// GMLCOV 1.0, SWE Common 2.0), valid against the OGC schemas. A coverage on WGS 84
// longitude/latitude is described in EPSG:4326 (latitude first), as WCS clients
// expect; any other in its EPSG CRS, in that CRS's axis order.
#include <string>
#include <string_view>
#include <vector>

#include "coverage/coverage_info.hpp"
#include "store/store.hpp"

namespace amis::api::wcs {

struct WcsServiceInfo {
  std::string title;
  std::string description;
  std::string base_url;  // empty: from the Host header
};

struct DescribedCoverage {
  store::RasterLayer layer;
  coverage::CoverageInfo info;
  std::vector<store::RasterBand> bands;
};

std::string capabilities_document(const std::string& service_url, const WcsServiceInfo& service,
                                  const std::vector<DescribedCoverage>& coverages);
std::string coverage_descriptions(const std::vector<DescribedCoverage>& coverages);

// XML-escaped text, and a number as the WCS documents write it (%.15g).
std::string xml_text(std::string_view s);
std::string xml_number(double v);

// The CRS a WCS names a coverage's grid in (EPSG:4326 for CRS84) and whether its
// first axis is latitude or northing.
std::string wcs_crs_uri(const coverage::CoverageInfo& info);
bool wcs_north_first(const coverage::CoverageInfo& info);

}  // namespace amis::api::wcs
