#pragma once
// OGC API - Tiles 1.0 with the 2D Tile Matrix Set 2.0 JSON encoding:
//   /tileMatrixSets[/{id}]                       the tiling schemes
//   /tiles[/{tms}[/{z}/{row}/{col}]]             vector tiles of every collection
//   /collections/{id}/tiles[/...]                vector tiles (MVT) of one collection
//   /map/tiles[/...], /collections/{id}/map/tiles[/...]   map tiles (PNG, JPEG, WebP)
//   /collections/{id}/styles/{styleId}/map/tiles[/...]   map tiles in a named style
// A raster layer's (coverage's) map tiles are drawn with its colour ramp, or with
// its built-in hillshade style (/collections/{id}/styles/hillshade/map/tiles).
// The dataset tiles take a `collections` parameter (comma-separated ids).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "store/store.hpp"
#include "styles/style_catalog.hpp"
#include "tiles/tile_maker.hpp"

namespace amis::api::tiles {

class TilesApi {
 public:
  TilesApi(store::Store& store, amis::tiles::TileMaker& maker, amis::styles::StyleCatalog& styles,
           std::string base_url)
      : store_(store), maker_(maker), styles_(styles), base_url_(std::move(base_url)) {}
  void register_routes(http::Router& router);

 private:
  enum class Kind { Vector, Map };
  void tile_matrix_sets(http::Request& request, http::Response& response);
  void tile_matrix_set(http::Request& request, http::Response& response);
  void tilesets(Kind kind, bool dataset, http::Request& request, http::Response& response);
  void tileset(Kind kind, bool dataset, http::Request& request, http::Response& response);
  void tile(Kind kind, bool dataset, http::Request& request, http::Response& response);

  // The layers a request names: its collection, or the `collections` parameter
  // of a dataset request (every collection by default).
  std::vector<core::Collection> layers(bool dataset, const http::Request& request);
  std::vector<core::Collection> layers(Kind kind, bool dataset, const http::Request& request);

  // The raster layer (coverage) whose map tiles a request asks for, with its
  // built-in style ("default" or the styleId); nullopt when it names a collection.
  struct Coverage {
    store::RasterLayer raster;
    std::shared_ptr<const render::Style> style;
  };
  std::optional<Coverage> coverage(Kind kind, bool dataset, const http::Request& request);
  std::string base_url(const http::Request& request) const;

  store::Store& store_;
  amis::tiles::TileMaker& maker_;
  amis::styles::StyleCatalog& styles_;
  std::string base_url_;
};

}  // namespace amis::api::tiles
