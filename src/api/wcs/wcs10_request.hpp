#pragma once
// WCS 1.0.0 requests in the KVP encoding (OGC 03-065r6, section 6.3 and 8-9):
// GetCapabilities, DescribeCoverage (COVERAGE=a,b) and GetCoverage with COVERAGE,
// CRS, RESPONSE_CRS, BBOX (x/y order whatever the CRS, as WCS 1.0 writes it),
// WIDTH/HEIGHT or RESX/RESY, FORMAT, INTERPOLATION and the range axis `BAND`
// (numbers from 1 or band names). Parameter names in any case. Nothing here knows
// the coverages: the service checks ids, CRSs and bands.
#include <optional>
#include <string>
#include <vector>

#include "api/wcs/wcs_request.hpp"
#include "core/envelope.hpp"
#include "http/request.hpp"

namespace amis::api::wcs {

struct Wcs10GetCoverage {
  std::string coverage;
  std::string crs;           // as written ("EPSG:4326")
  std::string response_crs;  // as written; empty: CRS
  core::Envelope bbox;       // in CRS, x/y order
  std::optional<std::int64_t> width, height;
  std::optional<double> resx, resy;
  std::string format;
  coverage::Interpolation interpolation = coverage::Interpolation::Nearest;
  std::vector<std::string> bands;  // BAND=1,3 or BAND=F,Z as written; empty: all
};

struct Wcs10Request {
  WcsOperation operation = WcsOperation::GetCapabilities;
  std::vector<std::string> coverages;  // DescribeCoverage; empty: all
  Wcs10GetCoverage get_coverage;
};

// Whether a KVP request asks for WCS 1.0.0 (VERSION=1.0.0, or a GetCapabilities
// whose only ACCEPTVERSIONS are 1.x).
bool asks_for_wcs10(const http::Request& request);

// @throws WcsError with the WCS 1.0.0 exception codes (MissingParameterValue,
// InvalidParameterValue, InvalidFormat, OperationNotSupported), all 400.
Wcs10Request parse_wcs10_kvp(const http::Request& request);

}  // namespace amis::api::wcs
