#include "edit/grid_owners.hpp"

#include <filesystem>

#include <spdlog/spdlog.h>

namespace amis::edit {

int adopt_configured_countries(store::Store& store, const EditingRules& rules) {
  int adopted = 0;
  for (auto raster : store.rasters()) {
    const auto configured = rules.collections.find(raster.id);
    if (configured == rules.collections.end() || configured->second.country.empty()) continue;
    if (!raster.country.empty()) {
      if (raster.country != configured->second.country)
        spdlog::warn("coverage {}: the store names {} as its member state, the configuration {}: the store's holds",
                     raster.id, raster.country, configured->second.country);
      continue;
    }
    raster.country = configured->second.country;
    // put_raster takes the path relative to the store's folder, as the store keeps it.
    raster.path = "rasters/" + std::filesystem::path(raster.path).filename().string();
    store.put_raster(raster);
    spdlog::info("coverage {}: member state {} moved from the configuration into the store", raster.id,
                 raster.country);
    ++adopted;
  }
  return adopted;
}

}  // namespace amis::edit
