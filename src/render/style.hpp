#pragma once
// How a layer is drawn: the model of an OGC Symbology Encoding style (SE 1.1 /
// SLD 1.0), independent of Mapnik. Rules select features with a filter of the
// shared filter tree (run by the store, never evaluated here) and a scale range.
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/collection.hpp"
#include "core/expression.hpp"

namespace amis::render {

struct Colour {
  unsigned char r = 128, g = 128, b = 128;
  double opacity = 1;
};

struct Stroke {
  Colour colour{0, 0, 0, 1};
  double width = 1;
  std::vector<double> dashes;  // on, off, ... in pixels; empty: solid
};

enum class MarkShape { Circle, Square, Triangle, Star, Cross, X };

struct PointSymbolizer {
  MarkShape shape = MarkShape::Square;  // SE's default mark
  std::optional<Colour> fill = Colour{128, 128, 128, 1};
  std::optional<Stroke> stroke = Stroke{};
  std::string graphic;  // an external PNG or SVG file (local path); replaces the mark
  double size = 6;      // pixels
  double rotation = 0;  // degrees, clockwise
  double opacity = 1;
};

struct LineSymbolizer {
  Stroke stroke;
};

struct PolygonSymbolizer {
  std::optional<Colour> fill = Colour{128, 128, 128, 1};
  std::optional<Stroke> stroke;
};

struct TextSymbolizer {
  std::string label;  // the property whose value is written
  double size = 10;
  Colour fill{0, 0, 0, 1};
  std::optional<double> halo_radius;
  Colour halo_fill{255, 255, 255, 1};
  bool bold = false;
  double dx = 0, dy = 0;  // displacement in pixels
};

// SLD 1.0's RasterSymbolizer ColorMap (also read from SE 1.1 documents): how a
// raster's values become colours. `ramp` interpolates colour and opacity between
// entries (the first colour below the first quantity, the last above the last);
// `intervals` paints a value with the first entry whose quantity is above it
// (values from the last quantity up are not painted); `values` paints only the
// entries' exact quantities. No data is never painted.
enum class ColorMapType { Ramp, Intervals, Values };

struct ColorMapEntry {
  double quantity = 0;
  Colour colour;  // with its opacity
  std::string label;
};

struct ColorMap {
  ColorMapType type = ColorMapType::Ramp;
  std::vector<ColorMapEntry> entries;  // ascending quantities
};

// The colour of a value; nullopt where the map paints nothing.
std::optional<Colour> colour_of(const ColorMap& map, double value);

using Symbolizer = std::variant<PointSymbolizer, LineSymbolizer, PolygonSymbolizer, TextSymbolizer>;

struct Rule {
  std::string name;
  std::string title;
  std::shared_ptr<const core::Expression> filter;  // null: every feature
  bool else_filter = false;  // the features no other rule of the style selects
  double min_scale = 0;      // drawn where min_scale <= scale denominator < max_scale
  double max_scale = std::numeric_limits<double>::infinity();
  std::vector<Symbolizer> symbolizers;
  std::optional<ColorMap> color_map;  // a raster layer's RasterSymbolizer
};

struct Style {
  std::string name;
  std::string title;
  std::string abstract;
  std::vector<Rule> rules;
  // A raster layer drawn as the hillshade of its first band (GDAL's
  // hillshade: Horn's gradient) in grey, lit from `azimuth` (degrees clockwise
  // from north) at `altitude` degrees above the horizon, heights times `z_factor`.
  bool hillshade = false;
  double azimuth = 315, altitude = 45, z_factor = 1;
};

// The style of a collection when none is named: by geometry type, in the
// `index`-th colour of a qualitative palette.
Style default_style(const core::Collection& collection, std::size_t index);

// The colour map of a raster style: its first rule's; nullptr for none.
const ColorMap* raster_color_map(const Style* style);

// The built-in styles of every raster layer: "default" (the colour ramp from its
// minimum to its maximum) and "hillshade".
struct RasterStyleName {
  const char* name;
  const char* title;
  const char* abstract;
};
const std::vector<RasterStyleName>& raster_style_names();

// A built-in raster style by name (empty is "default"): null for the default
// ramp, the hillshade style; nullopt for a name that is neither.
std::optional<std::shared_ptr<const Style>> raster_style(std::string_view name);

// The hillshade style under another light: named "hillshade" for the default
// light (315, 45, 1), else "hillshade;az=..;alt=..;z=.." so caches keep them apart.
// @throws core::InvalidParameter naming `azimuth` (0..360), `altitude` (0..90)
// or `z-factor` (> 0, at most 1e6), as `names` gives them.
struct HillshadeLight {
  double azimuth = 315, altitude = 45, z_factor = 1;
};
std::shared_ptr<const Style> hillshade_style(const HillshadeLight& light, const char* const (&names)[3]);

// A hillshade's legend: the grey GDAL's hillshade gives a plane of slope 30
// degrees facing the light, flat ground and a slope of 30 degrees facing away,
// under the style's light (1 + 254 cos of the angle between the light and the
// surface's normal, at least 1), with their labels.
struct ShadeRow {
  std::string label;
  unsigned char grey = 0;
};
std::vector<ShadeRow> hillshade_legend(const Style& style);

}  // namespace amis::render
