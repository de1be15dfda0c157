#pragma once
// WCS 2.0.1 and 1.0.0 at /wcs (KVP over GET, and form POST; 2.0.1 also as XML POST): GetCapabilities,
// DescribeCoverage and GetCoverage over the raster layers, with the CRS, scaling,
// range subsetting and interpolation extensions and GeoTIFF/PNG encodings. Errors
// are OWS 2.0 ExceptionReports with their 4xx status; a response past the limits is 413.
#include <string>

#include "api/wcs/wcs_documents.hpp"
#include "coverage/coverage_request.hpp"
#include "coverage/open_grids.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace amis::api::wcs {

struct WcsRequest;
struct GetCoverageRequest;
struct Wcs10GetCoverage;

class WcsService {
 public:
  WcsService(store::Store& store, coverage::CoverageLimits limits, WcsServiceInfo info)
      : store_(store), limits_(limits), info_(std::move(info)) {}
  void register_routes(http::Router& router);

 private:
  void kvp(http::Request& request, http::Response& response);
  // WCS 1.0.0 (wcs10_service.cpp): asked for with VERSION=1.0.0.
  void kvp10(http::Request& request, http::Response& response);
  void get_coverage10(const Wcs10GetCoverage& wanted, const http::Request& request, http::Response& response);
  std::vector<DescribedCoverage> all_described();
  void get_coverage(const GetCoverageRequest& wanted, const http::Request& request, http::Response& response);
  DescribedCoverage described(const std::string& id);

  store::Store& store_;
  coverage::CoverageLimits limits_;
  WcsServiceInfo info_;
  // The coverages' files kept open between requests: the header is read once and
  // GDAL's block cache keeps the tiles read last (a window's time was mostly
  // decompressing them again).
  coverage::OpenGrids open_grids_{16, coverage::datasets_per_grid()};
};

}  // namespace amis::api::wcs
