#pragma once
// OGC API - Coverages (1.0 draft) over the raster layers: each is a collection
//   /collections/{id}                     (with the coverage links)
//   /collections/{id}/coverage            GeoTIFF, PNG or CoverageJSON; subset, bbox, scaling, fields, crs;
//                                         f=html: a page with the domain, bands and a preview
//   /collections/{id}/coverage/domainset  CIS 1.1 JSON
//   /collections/{id}/coverage/rangetype  CIS 1.1 JSON
//   /collections/{id}/schema              the fields (bands) as JSON Schema
// Errors are OGC API JSON exceptions; a response past the limits is 413.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "coverage/coverage_request.hpp"
#include "coverage/open_grids.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace amis::api::coverages {

class CoveragesApi {
 public:
  CoveragesApi(store::Store& store, coverage::CoverageLimits limits, std::string base_url)
      : store_(store), limits_(limits), base_url_(std::move(base_url)) {}
  // Before the Features routes (/collections/{collectionId}/schema would not be theirs, but keep one order).
  void register_routes(http::Router& router);
  // The raster layers' entries in /collections.
  std::vector<nlohmann::json> collection_entries(const std::string& base);
  // The collection document of a raster layer, or nullopt when there is none.
  std::optional<nlohmann::json> collection_entry(const std::string& id, const std::string& base);
  // Where `coverage?version=N` and `coverage?asOf=<instant>` (normalised RFC 3339,
  // as the features' asOf) find a coverage as it was: its approved grids'
  // history; nullopt when it had no such version. None: both parameters unknown.
  using PastGrids = std::function<std::optional<store::RasterLayer>(
      const store::RasterLayer& now, std::optional<std::int64_t> version, const std::string& instant)>;
  void set_past_grids(PastGrids past) { past_ = std::move(past); }

 private:
  void coverage(http::Request& request, http::Response& response);
  void domain_set(http::Request& request, http::Response& response);
  void range_type(http::Request& request, http::Response& response);
  void schema(http::Request& request, http::Response& response);
  store::RasterLayer require_layer(const http::Request& request);
  // The layer as it was when the request names a version or asOf (taken out of
  // its query); `layer` itself otherwise. @throws core::NotFound, InvalidParameter.
  store::RasterLayer as_it_was(http::Request& request, store::RasterLayer layer);
  std::string base_url(const http::Request& request) const;

  store::Store& store_;
  coverage::CoverageLimits limits_;
  std::string base_url_;
  PastGrids past_;
  // The coverages' files kept open between requests (as WCS's).
  coverage::OpenGrids open_grids_{16, coverage::datasets_per_grid()};
};

}  // namespace amis::api::coverages
