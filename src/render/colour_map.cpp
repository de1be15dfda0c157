// SLD ColorMap: a raster value to a colour (render/style.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/error.hpp"
#include "render/style.hpp"

namespace amis::render {

std::optional<Colour> colour_of(const ColorMap& map, double value) {
  const auto& e = map.entries;
  if (e.empty() || std::isnan(value)) return std::nullopt;
  switch (map.type) {
    case ColorMapType::Values:
      for (const auto& entry : e)
        if (entry.quantity == value) return entry.colour;
      return std::nullopt;
    case ColorMapType::Intervals:
      for (const auto& entry : e)
        if (value < entry.quantity) return entry.colour;
      return std::nullopt;
    case ColorMapType::Ramp:
      break;
  }
  if (value <= e.front().quantity) return e.front().colour;
  for (std::size_t i = 1; i < e.size(); ++i) {
    if (value > e[i].quantity) continue;
    const auto& a = e[i - 1];
    const auto& b = e[i];
    const double span = b.quantity - a.quantity;
    const double t = span > 0 ? (value - a.quantity) / span : 1;
    auto mix = [t](double x, double y) { return x + (y - x) * t; };
    return Colour{static_cast<unsigned char>(std::lround(mix(a.colour.r, b.colour.r))),
                  static_cast<unsigned char>(std::lround(mix(a.colour.g, b.colour.g))),
                  static_cast<unsigned char>(std::lround(mix(a.colour.b, b.colour.b))),
                  mix(a.colour.opacity, b.colour.opacity)};
  }
  return e.back().colour;
}

const ColorMap* raster_color_map(const Style* style) {
  if (!style) return nullptr;
  for (const auto& rule : style->rules)
    if (rule.color_map) return &*rule.color_map;
  return nullptr;
}

const std::vector<RasterStyleName>& raster_style_names() {
  static const std::vector<RasterStyleName> names = {
      {"default", "Colour ramp", "Blue to white to red from the first band's minimum to its maximum"},
      {"hillshade", "Hillshade",
       "The first band's relief lit from the north-west at 45 degrees (GDAL's hillshade, Horn's method)"}};
  return names;
}

std::shared_ptr<const Style> hillshade_style(const HillshadeLight& light, const char* const (&names)[3]) {
  if (!(light.azimuth >= 0 && light.azimuth <= 360))
    throw core::InvalidParameter(names[0], "the light's azimuth is 0 to 360 degrees clockwise from north");
  if (!(light.altitude >= 0 && light.altitude <= 90))
    throw core::InvalidParameter(names[1], "the light's altitude is 0 to 90 degrees above the horizon");
  if (!(light.z_factor > 0 && light.z_factor <= 1e6))
    throw core::InvalidParameter(names[2], "the z factor is a number > 0 (at most 1e6)");
  const HillshadeLight plain;
  if (light.azimuth == plain.azimuth && light.altitude == plain.altitude && light.z_factor == plain.z_factor)
    return *raster_style("hillshade");
  auto style = std::make_shared<Style>(**raster_style("hillshade"));
  style->azimuth = light.azimuth;
  style->altitude = light.altitude;
  style->z_factor = light.z_factor;
  char name[128];
  std::snprintf(name, sizeof name, "hillshade;az=%.17g;alt=%.17g;z=%.17g", light.azimuth, light.altitude,
                light.z_factor);
  style->name = name;
  return style;
}

std::vector<ShadeRow> hillshade_legend(const Style& style) {
  constexpr double kDegree = 3.14159265358979323846 / 180;
  const double altitude = style.altitude * kDegree;
  // The z factor steepens what the shade sees: a 30-degree slope is shaded as atan(z tan 30).
  const double slope = std::atan(style.z_factor * std::tan(30 * kDegree));
  auto grey = [&](double facing) {  // facing: +1 towards the light, -1 away, 0 flat
    const double s = facing == 0 ? 0 : slope;
    const double cosine = std::sin(altitude) * std::cos(s) + std::cos(altitude) * std::sin(s) * (facing < 0 ? -1 : 1);
    const double v = cosine <= 0 ? 1 : 1 + 254 * cosine;
    return static_cast<unsigned char>(std::lround(std::min(255.0, v)));
  };
  char light[96];
  std::snprintf(light, sizeof light, " (light from %.6g degrees at %.6g)", style.azimuth, style.altitude);
  return {{"Slope of 30 degrees facing the light" + std::string(light), grey(1)},
          {"Flat ground", grey(0)},
          {"Slope of 30 degrees facing away", grey(-1)}};
}

std::optional<std::shared_ptr<const Style>> raster_style(std::string_view name) {
  if (name.empty() || name == "default") return std::shared_ptr<const Style>();
  if (name == "hillshade") {
    static const auto hillshade = [] {
      auto style = std::make_shared<Style>();
      style->name = "hillshade";
      style->title = "Hillshade";
      style->hillshade = true;
      return std::shared_ptr<const Style>(std::move(style));
    }();
    return hillshade;
  }
  return std::nullopt;
}

}  // namespace amis::render
