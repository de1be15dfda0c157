#pragma once
// Makes the tiles that OGC API - Tiles and WMTS serve, through the cache: vector
// tiles (MVT, a layer per collection) and map tiles (images drawn by render/).
#include <memory>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "render/map_renderer.hpp"
#include "store/store.hpp"
#include "tiles/tile_cache.hpp"
#include "tiles/tile_matrix_set.hpp"

namespace amis::tiles {

class TileMaker {
 public:
  // `cache` may be null: every tile is then made afresh.
  TileMaker(store::Store& store, TileCache* cache) : store_(store), cache_(cache) {}

  // The MVT bytes of the tile; empty when no feature of `layers` touches it. With a
  // filter, only the features it selects (such tiles are made afresh, not cached).
  std::string vector_tile(const TileMatrixSet& set, const TileAddress& tile,
                          const std::vector<core::Collection>& layers,
                          const std::shared_ptr<const core::Expression>& filter = nullptr);

  // A style for a map tile's layer, and what names its version in the cache
  // ("default", or the stored style's name and update time).
  struct LayerStyle {
    std::shared_ptr<const render::Style> style;  // null: the layer's default
    std::string version;
  };

  // The tile drawn with the given styles (one per layer, or none for defaults).
  std::string map_tile(const TileMatrixSet& set, const TileAddress& tile, const std::vector<core::Collection>& layers,
                       render::ImageFormat format, bool transparent, const std::vector<LayerStyle>& styles = {},
                       const std::shared_ptr<const core::Expression>& filter = nullptr);

  // A map tile of a raster layer (a coverage) in a built-in raster style (null:
  // its colour ramp; render::raster_style); where it has no data the tile is clear
  // (`transparent`) or white. Cached under the raster's data version (raster_version).
  std::string coverage_tile(const TileMatrixSet& set, const TileAddress& tile, const store::RasterLayer& raster,
                            render::ImageFormat format, bool transparent,
                            const std::shared_ptr<const render::Style>& style);

 private:
  std::string make_vector_tile(const TileMatrixSet& set, const TileAddress& tile,
                               const std::vector<core::Collection>& layers,
                               const std::shared_ptr<const core::Expression>& filter);

  store::Store& store_;
  TileCache* cache_;
};

// The CRS84 box to read for a tile of `set`, widened by `margin` (a fraction of
// the tile's size) on each side.
// The collection that names a raster layer in a map (its id, title and extent).
core::Collection raster_layer_collection(const store::RasterLayer& raster);

// What names the data of a raster layer in tile keys: its file's size and last
// write time (a grid added again is a new file renamed into place) and its range.
std::string raster_version(const store::RasterLayer& raster);

core::Envelope tile_crs84_box(const TileMatrixSet& set, const core::Envelope& bounds, double margin);

}  // namespace amis::tiles
