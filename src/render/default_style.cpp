#include "render/style.hpp"

#include <iterator>

namespace amis::render {
namespace {

// ColorBrewer Dark2, one colour per layer in turn.
constexpr Colour kPalette[] = {{0xd9, 0x5f, 0x02, 1}, {0x1b, 0x9e, 0x77, 1}, {0x75, 0x70, 0xb3, 1},
                               {0xe7, 0x29, 0x8a, 1}, {0x66, 0xa6, 0x1e, 1}, {0xe6, 0xab, 0x02, 1},
                               {0xa6, 0x76, 0x1d, 1}};

}  // namespace

Style default_style(const core::Collection& c, std::size_t index) {
  const Colour colour = kPalette[index % std::size(kPalette)];
  const std::string& g = c.geometry_type;
  const bool points = g == "POINT" || g == "MULTIPOINT";
  const bool lines = g == "LINESTRING" || g == "MULTILINESTRING";
  const bool any = !points && !lines && g != "POLYGON" && g != "MULTIPOLYGON";
  Rule rule;
  rule.name = "default";
  rule.title = c.title.empty() ? c.id : c.title;
  if (points || any) {
    PointSymbolizer marker;
    marker.shape = MarkShape::Circle;
    marker.fill = colour;
    marker.stroke = Stroke{{255, 255, 255, 1}, 1, {}};
    marker.size = 7;
    rule.symbolizers.emplace_back(marker);
  }
  if (!points && !lines) {
    Colour fill = colour;
    fill.opacity = 0.35;
    rule.symbolizers.emplace_back(PolygonSymbolizer{fill, Stroke{colour, 0.8, {}}});
  }
  if (lines) rule.symbolizers.emplace_back(LineSymbolizer{Stroke{colour, 1.5, {}}});
  Style style;
  style.name = "default";
  style.title = "Default style";
  style.rules.push_back(std::move(rule));
  return style;
}

}  // namespace amis::render
