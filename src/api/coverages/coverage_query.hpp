#pragma once
// The query of GET /collections/{id}/coverage (OGC API - Coverages 1.0 draft) read
// into a coverage::CoverageRequest:
//   subset=Lon(a:b),Lat(c:d) (repeatable)  subset-crs  bbox=a,b,c,d  bbox-crs  crs
//   resolution=Lon(r),Lat(r)  width  height  properties  exclude-properties
//   f=tif|png|covjson (or Accept: image/tiff, image/png, application/prs.coverage+json)
// and what GDAL 3.6's OGCAPI driver and the earlier drafts send: scale-size,
// scale-factor, scale-axes (also camelCase: scaleSize, scaleFactor, scaleAxes).
// Without subset-crs, Lat/Lon names mean CRS84 and the coverage's own axis names
// its CRS; without bbox-crs the box is CRS84.
#include <string>
#include <vector>

#include "coverage/coverage_request.hpp"
#include "http/request.hpp"
#include "store/store.hpp"

namespace amis::api::coverages {

// Whether the request asks for the coverage's HTML page (f=html, or a browser's
// Accept: text/html without a coverage format).
bool wants_html(const http::Request& request);

// @throws core::InvalidParameter / core::UnknownParameter (400), core::NotAcceptable (406).
coverage::CoverageRequest parse_coverage_query(const http::Request& request, const coverage::CoverageInfo& info,
                                               const std::vector<store::RasterBand>& bands);

// Band numbers (1-based) for a comma-separated list of band names (or numbers).
// @throws core::InvalidParameter naming `parameter` for a band the coverage lacks.
std::vector<int> band_numbers(std::string_view list, const std::vector<store::RasterBand>& bands,
                              const std::string& parameter);

}  // namespace amis::api::coverages
