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

 private:
  std::string make_vector_tile(const TileMatrixSet& set, const TileAddress& tile,
                               const std::vector<core::Collection>& layers,
                               const std::shared_ptr<const core::Expression>& filter);

  store::Store& store_;
  TileCache* cache_;
};

// The CRS84 box to read for a tile of `set`, widened by `margin` (a fraction of
// the tile's size) on each side.
core::Envelope tile_crs84_box(const TileMatrixSet& set, const core::Envelope& bounds, double margin);

}  // namespace amis::tiles
