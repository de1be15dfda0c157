// SLD ColorMap: a raster value to a colour (render/style.hpp).
#include <cmath>
#include <memory>

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
