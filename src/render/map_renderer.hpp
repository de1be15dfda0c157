#pragma once
// Map images of collections: what WMS GetMap (and later map tiles) draw. The
// renderer reads the features of each layer from the store for the requested
// box, reprojects them and styles them by geometry type. Mapnik stays behind
// this interface (mapnik_renderer.cpp).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "core/expression.hpp"
#include "core/crs.hpp"
#include "core/envelope.hpp"
#include "render/style.hpp"
#include "store/store.hpp"

namespace amis::render {

enum class ImageFormat { Png32, Png8, Jpeg, Webp };

struct Rgb {
  std::uint8_t r = 255, g = 255, b = 255;
};

struct MapRequest {
  std::vector<core::Collection> layers;  // drawn bottom to top
  // One per layer, or fewer: a missing or null style is the layer's default.
  std::vector<std::shared_ptr<const Style>> styles;
  // One per layer, or fewer: a layer with a raster here is that raster, drawn
  // with its colour ramp (its Collection entry only names it).
  std::vector<std::shared_ptr<const store::RasterLayer>> rasters;
  // One per layer, or fewer: only the features a layer's filter selects are
  // drawn (null: all of them). WMS fills it from CQL_FILTER.
  std::vector<std::shared_ptr<const core::Expression>> filters;
  // One per layer, or fewer: a layer with pixels here is that image (RGBA of the
  // map's size, not premultiplied), drawn by another server: a national node's
  // WMS layer cascaded here (its Collection entry only names it).
  std::vector<std::shared_ptr<const std::vector<std::uint8_t>>> images;
  core::Crs crs;                         // the map's CRS
  core::Envelope bbox;                   // in `crs`, x easting/longitude, y northing/latitude
  int width = 256;
  int height = 256;
  ImageFormat format = ImageFormat::Png32;
  bool transparent = false;
  Rgb background;
};

// The encoded image, drawn in a slot of the process's render gate (render_gate.hpp);
// the request's budget is looked at while features are read, between layers and
// while Mapnik draws. @throws core::OgcError for a CRS PROJ cannot handle,
// core::ServiceBusy when no slot came free in time, core::DeadlineExceeded or
// core::ClientDisconnected when the budget ran out.
std::string render_map(store::Store& store, const MapRequest& request);

// The colour ramp of raster layers (blue, white, red from minimum to maximum),
// as (fraction, colour) stops: for legends and documentation.
struct RampStop {
  double at;
  Rgb colour;
};
const std::vector<RampStop>& raster_ramp();

// An image of the request's size, format and background with `message` written
// across it: WMS errors with EXCEPTIONS=INIMAGE.
std::string render_message(const MapRequest& request, std::string_view message);

// The scale denominator of the map (OGC's 0.28 mm pixel; degrees taken at the
// equator), which selects the rules of a style.
double scale_denominator(const MapRequest& request);

struct LegendRequest {
  int width = 0;  // 0: as wide as the longest label needs
  int symbol_size = 20;
  ImageFormat format = ImageFormat::Png32;
  bool transparent = true;
  std::string rule;  // only this rule; empty: all
};

struct LegendSize {
  int width = 0;
  int height = 0;
};
// The size render_legend() gives the legend (for capabilities' LegendURL).
LegendSize legend_size(const core::Collection& collection, const Style& style, const LegendRequest& request);

// A legend: one row per rule, its symbol and its title. @throws core::NotFound
// for a rule the style does not have.
std::string render_legend(const core::Collection& collection, const Style& style, const LegendRequest& request);

// The media type of a format ("image/png", ...).
const char* media_type(ImageFormat format);

}  // namespace amis::render
