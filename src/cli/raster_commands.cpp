// `amis raster add FILE --id ID ...`: converts a raster GDAL reads into a Cloud
// Optimized GeoTIFF in the store's rasters/ folder and records it as a layer (a
// coverage) with its bands' names, units, nodata values and descriptions.
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "auth/account.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "coverage/grid_import.hpp"
#include "styles/style_catalog.hpp"

namespace amis::cli {

int raster_command(const config::Config& config, const RasterCommand& command) {
  if (!styles::valid_style_name(command.id) || command.id.find('.') != std::string::npos)
    throw std::runtime_error("'" + command.id.substr(0, 80) +
                             "' is not a raster id: 1 to 64 letters, digits, '_' or '-', beginning with a letter or digit");
  if (command.country && !command.country->empty() && !auth::is_member_country(*command.country))
    throw std::runtime_error("--country '" + command.country->substr(0, 16) +
                             "' is not a member state's ISO 3166 alpha-3 code");
  const auto opened = store::open_features(store_location(config));
  store::Store& store = *opened;
  const auto existing = store.raster(command.id);
  if (!std::filesystem::is_regular_file(command.file)) throw std::runtime_error("cannot read " + command.file);
  const auto folder = store::store_folder(store_location(config)) / "rasters";
  std::filesystem::create_directories(folder);
  const auto grid = coverage::import_grid(command.file, {command.band_names, command.units, command.band_descriptions},
                                          folder / (command.id + ".tif"), "file");
  store::RasterLayer layer;
  layer.id = command.id;
  layer.title = command.title.empty() ? command.id : command.title;
  layer.description = command.description;
  layer.attribution = command.attribution;
  layer.licence = command.licence;
  layer.extent = grid.extent;
  layer.bands = grid.bands;
  layer.min = layer.bands.front().min;
  layer.max = layer.bands.front().max;
  layer.path = "rasters/" + command.id + ".tif";
  layer.country = command.country ? *command.country : existing ? existing->country : std::string();
  store.put_raster(layer);
  std::cout << layer.id << "\t" << layer.min << "\t" << layer.max << "\t" << layer.title << "\n";
  for (const auto& b : layer.bands)
    std::cout << "  " << b.name << "\t" << b.data_type << "\t" << b.min << "\t" << b.max << "\t" << b.unit << "\n";
  return 0;
}

}  // namespace amis::cli
