// A WCS 2.0.1 KVP query string through parse_wcs_kvp (and the OGC API - Coverages
// query reader, on a coverage described without a file). Only OgcError may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/coverages/coverage_query.hpp"
#include "api/wcs/wcs_request.hpp"
#include "core/error.hpp"
#include "http/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = amis::http::parse_query(text);
  if (!query) return 0;
  amis::http::Request request;
  request.query = std::move(*query);
  try {
    amis::api::wcs::parse_wcs_kvp(request);
  } catch (const amis::core::OgcError&) {
  }
  amis::coverage::CoverageInfo info;
  info.width = 100;
  info.height = 50;
  info.transform = {90, 0.5, 0, 30, 0, -0.5};
  info.crs = amis::core::Crs{};
  info.geographic = true;
  info.x_label = "Lon";
  info.y_label = "Lat";
  info.band_count = 2;
  std::vector<amis::store::RasterBand> bands(2);
  bands[0].name = "F";
  bands[1].name = "Z";
  try {
    amis::api::coverages::parse_coverage_query(request, info, bands);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
