// Stored geometries may come from any tool that writes GeoPackages: the GPKG
// header and WKB readers must never read out of bounds on hostile blobs.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/wkb.hpp"
#include "encode/geojson_geometry.hpp"
#include "store/gpkg/gpkg_binary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> blob(data, size);
  try {
    const auto g = amis::store::gpkg::parse_gpkg_geometry(blob);
    amis::store::gpkg::gpkg_envelope(g);
  } catch (const amis::core::WkbError&) {
  }
  try {
    amis::core::wkb_envelope(blob);
  } catch (const amis::core::WkbError&) {
  }
  try {
    std::string out;
    amis::encode::append_geojson_geometry(out, blob);
  } catch (const amis::core::WkbError&) {
  }
  return 0;
}
