#pragma once
// The WMTS 1.0.0 ServiceMetadata document (OGC 07-057r7, §7.1).
#include <string>
#include <utility>
#include <vector>

#include "core/collection.hpp"

namespace amis::api::wmts {

struct TileFormat {
  const char* media_type;
  const char* extension;  // of the RESTful resource URL
};
// The tile formats of every layer: PNG, JPEG, WebP images and MVT vector tiles.
const std::vector<TileFormat>& tile_formats();

struct LayerStyles {
  core::Collection collection;
  std::vector<std::pair<std::string, std::string>> styles;  // name, title; the first is the default
  bool raster = false;  // a raster layer (coverage): images only, no vector tiles
};

std::string capabilities_document(const std::string& base, const std::string& title, const std::string& description,
                                  const std::vector<LayerStyles>& layers);

}  // namespace amis::api::wmts
