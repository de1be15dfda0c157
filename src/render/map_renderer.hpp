#pragma once
// Map images of collections: what WMS GetMap (and later map tiles) draw. The
// renderer reads the features of each layer from the store for the requested
// box, reprojects them and styles them by geometry type. Mapnik stays behind
// this interface (mapnik_renderer.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "core/crs.hpp"
#include "core/envelope.hpp"
#include "store/store.hpp"

namespace amis::render {

enum class ImageFormat { Png32, Png8, Jpeg, Webp };

struct Rgb {
  std::uint8_t r = 255, g = 255, b = 255;
};

struct MapRequest {
  std::vector<core::Collection> layers;  // drawn bottom to top
  core::Crs crs;                         // the map's CRS
  core::Envelope bbox;                   // in `crs`, x easting/longitude, y northing/latitude
  int width = 256;
  int height = 256;
  ImageFormat format = ImageFormat::Png32;
  bool transparent = false;
  Rgb background;
};

// The encoded image. @throws core::OgcError for a CRS PROJ cannot handle.
std::string render_map(store::Store& store, const MapRequest& request);

// The media type of a format ("image/png", ...).
const char* media_type(ImageFormat format);

}  // namespace amis::render
