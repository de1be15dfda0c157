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

// The dimensions of a raster layer: the light of its hillshade style (GDAL's
// hillshade -az, -alt, -z), sent as KVP parameters of GetTile or in the query of
// the RESTful template; any value in range is taken, `values` are examples.
struct LightDimension {
  const char* identifier;
  const char* title;
  const char* uom;
  const char* default_value;
  std::vector<const char*> values;
};
inline const LightDimension kLightDimensions[3] = {
    {"Azimuth", "Hillshade: the light's azimuth (degrees clockwise from north, 0 to 360)", "deg", "315",
     {"0", "45", "90", "135", "180", "225", "270", "315"}},
    {"Altitude", "Hillshade: the light's altitude (degrees above the horizon, 0 to 90)", "deg", "45",
     {"15", "30", "45", "60", "75", "90"}},
    {"ZFactor", "Hillshade: the vertical exaggeration (> 0)", "", "1", {"0.5", "1", "2", "5", "10"}}};

struct LayerStyles {
  core::Collection collection;
  std::vector<std::pair<std::string, std::string>> styles;  // name, title; the first is the default
  bool raster = false;  // a raster layer (coverage): images only, no vector tiles
};

std::string capabilities_document(const std::string& base, const std::string& title, const std::string& description,
                                  const std::vector<LayerStyles>& layers);

}  // namespace amis::api::wmts
