#pragma once
// The XML documents of WCS 1.0.0 (OGC 03-065r6): WCS_Capabilities, CoverageDescription
// and the ServiceExceptionReport (version 1.2.0 of the ogc namespace), valid against
// the wcs/1.0.0 schemas. WCS 1.0 writes every position x first (longitude, easting),
// and names CRSs `EPSG:n`; a CRS84 grid is `EPSG:4326`. The range is one axis `Band`
// with the values 1..n (what GDAL's and QGIS's WCS clients read) whose labels are
// the band names.
#include <string>
#include <vector>

#include "api/wcs/wcs_documents.hpp"
#include "core/error.hpp"

namespace amis::api::wcs {

std::string wcs10_capabilities(const std::string& service_url, const WcsServiceInfo& service,
                               const std::vector<DescribedCoverage>& coverages);
std::string wcs10_coverage_description(const std::vector<DescribedCoverage>& coverages);
std::string wcs10_exception_report(const core::OgcError& error);

// `EPSG:n` for the coverage's CRS (EPSG:4326 for CRS84).
std::string wcs10_crs_name(const coverage::CoverageInfo& info);

// The formats DescribeCoverage lists (xs:Name values: no media types, which
// GetCoverage takes as well: image/tiff, image/png).
inline constexpr const char* kWcs10Formats[] = {"GeoTIFF", "PNG"};

}  // namespace amis::api::wcs
