#pragma once
// WMTS 1.0.0 at /wmts, over the same tiles as OGC API - Tiles:
//   KVP  /wmts?SERVICE=WMTS&REQUEST=GetCapabilities | GetTile&LAYER=..&STYLE=..&FORMAT=..
//        &TILEMATRIXSET=..&TILEMATRIX=..&TILEROW=..&TILECOL=..
//   REST /wmts/1.0.0/WMTSCapabilities.xml
//        /wmts/1.0.0/{layer}/{style}/{tileMatrixSet}/{tileMatrix}/{tileRow}/{tileCol}.{png|jpg|webp|mvt}
// Every collection is a layer with its styles ("default" and the stored ones;
// vector tiles are the same in every style); every raster layer (coverage) is a
// layer of images in its built-in styles (default ramp, hillshade). Errors are OWS 1.1
// ExceptionReports with HTTP 400 (TileOutOfRange for a tile outside the matrix).
#include <string>

#include "http/router.hpp"
#include "store/store.hpp"
#include "styles/style_catalog.hpp"
#include "tiles/tile_maker.hpp"

namespace amis::api::wmts {

struct WmtsSettings {
  std::string title;
  std::string description;
  std::string base_url;  // empty: from the Host header
};

class WmtsService {
 public:
  WmtsService(store::Store& store, amis::tiles::TileMaker& maker, amis::styles::StyleCatalog& styles,
              WmtsSettings settings)
      : store_(store), maker_(maker), styles_(styles), settings_(std::move(settings)) {}
  void register_routes(http::Router& router);

 private:
  void kvp(http::Request& request, http::Response& response);
  void capabilities(http::Request& request, http::Response& response);
  void rest_tile(http::Request& request, http::Response& response);
  struct TileRequest;
  void get_tile(const TileRequest& tile, const http::Request& request, http::Response& response);
  std::string base_url(const http::Request& request) const;

  store::Store& store_;
  amis::tiles::TileMaker& maker_;
  amis::styles::StyleCatalog& styles_;
  WmtsSettings settings_;
};

}  // namespace amis::api::wmts
