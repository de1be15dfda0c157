// Legends (WMS GetLegendGraphic): a row per rule with a swatch drawn by the
// rule's own symbolizers and the rule's title beside it.
#include <mapnik/agg_renderer.hpp>
#include <mapnik/feature.hpp>
#include <mapnik/feature_factory.hpp>
#include <mapnik/feature_type_style.hpp>
#include <mapnik/image.hpp>
#include <mapnik/image_util.hpp>
#include <mapnik/layer.hpp>
#include <mapnik/map.hpp>
#include <mapnik/memory_datasource.hpp>
#include <mapnik/unicode.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "render/map_renderer.hpp"
#include "render/mapnik_symbolizers.hpp"

namespace amis::render {
namespace {

constexpr const char* kIdentitySrs = "epsg:4326";
constexpr int kTextSize = 11;

using Geometry = mapnik::geometry::geometry<double>;

// The swatch of a symbolizer in the square (x, y) .. (x + s, y + s), y up.
Geometry swatch(const Symbolizer& symbolizer, double x, double y, double s) {
  if (std::holds_alternative<PointSymbolizer>(symbolizer)) return mapnik::geometry::point<double>(x + s / 2, y + s / 2);
  if (std::holds_alternative<LineSymbolizer>(symbolizer)) {
    mapnik::geometry::line_string<double> line;
    line.emplace_back(x + 1, y + s * 0.25);
    line.emplace_back(x + s * 0.4, y + s * 0.75);
    line.emplace_back(x + s * 0.6, y + s * 0.25);
    line.emplace_back(x + s - 1, y + s * 0.75);
    return line;
  }
  mapnik::geometry::polygon<double> polygon;
  mapnik::geometry::linear_ring<double> ring;
  ring.emplace_back(x + 2, y + 2);
  ring.emplace_back(x + s - 2, y + 2);
  ring.emplace_back(x + s - 2, y + s - 2);
  ring.emplace_back(x + 2, y + s - 2);
  ring.emplace_back(x + 2, y + 2);
  polygon.set_exterior_ring(std::move(ring));
  return polygon;
}

std::shared_ptr<mapnik::memory_datasource> one_feature(Geometry geometry, const std::string* label) {
  mapnik::parameters parameters;
  parameters["type"] = "memory";
  auto ds = std::make_shared<mapnik::memory_datasource>(parameters);
  auto context = std::make_shared<mapnik::context_type>();
  if (label) context->push(kLabelAttribute);
  mapnik::feature_ptr feature(mapnik::feature_factory::create(context, 1));
  feature->set_geometry(std::move(geometry));
  if (label)
    feature->put(kLabelAttribute, mapnik::value_unicode_string(icu::UnicodeString::fromUTF8(*label)));
  ds->push(feature);
  return ds;
}

// The rows of a legend and its geometry, shared by its size and its drawing.
struct LegendLayout {
  std::vector<const Rule*> rules;
  std::vector<std::string> titles;
  int symbol = 20;
  int row = 24;
  LegendSize size;
};

LegendLayout layout(const core::Collection& collection, const Style& style, const LegendRequest& request) {
  LegendLayout l;
  for (const auto& r : style.rules)
    if (request.rule.empty() || r.name == request.rule) l.rules.push_back(&r);
  if (l.rules.empty()) throw core::NotFound("the style '" + style.name + "' has no rule '" + request.rule + "'");
  l.symbol = std::clamp(request.symbol_size, 8, 512);
  l.row = std::max(l.symbol, kTextSize + 4) + 4;
  std::size_t longest = 0;
  for (const auto* r : l.rules) {
    l.titles.push_back(!r->title.empty() ? r->title : !r->name.empty() ? r->name : collection.title);
    longest = std::max(longest, l.titles.back().size());
  }
  // About 7 pixels per character of 11-pixel DejaVu Sans.
  l.size.width = request.width > 0 ? std::min(request.width, 2048)
                                   : std::min(2048, l.symbol + 12 + static_cast<int>(longest) * 7 + 4);
  l.size.height = std::min(8192, l.row * static_cast<int>(l.rules.size()));
  return l;
}

}  // namespace

LegendSize legend_size(const core::Collection& collection, const Style& style, const LegendRequest& request) {
  return layout(collection, style, request).size;
}

std::string render_legend(const core::Collection& collection, const Style& style, const LegendRequest& request) {
  const LegendLayout l = layout(collection, style, request);
  const auto& rules = l.rules;
  const auto& titles = l.titles;
  const int s = l.symbol;
  const int row = l.row;
  const int width = l.size.width;
  const int height = l.size.height;

  mapnik::Map map(width, height, kIdentitySrs);
  map.set_background(mapnik::color(255, 255, 255, request.transparent && request.format != ImageFormat::Jpeg ? 0 : 255));
  TextSymbolizer text;
  text.size = kTextSize;
  text.fill = {33, 33, 33, 1};
  for (std::size_t k = 0; k < rules.size(); ++k) {
    const double y = height - row * static_cast<double>(k + 1) + (row - s) / 2.0;
    const std::string prefix = "r" + std::to_string(k);
    int n = 0;
    for (const auto& symbolizer : rules[k]->symbolizers) {
      if (std::holds_alternative<TextSymbolizer>(symbolizer)) continue;
      mapnik::rule rule;
      append_geometry_symbolizer(rule, symbolizer);
      mapnik::feature_type_style fts;
      fts.add_rule(std::move(rule));
      const std::string name = prefix + "s" + std::to_string(n++);
      map.insert_style(name, std::move(fts));
      mapnik::layer layer(name, kIdentitySrs);
      layer.set_datasource(one_feature(swatch(symbolizer, 2, y, s), nullptr));
      layer.add_style(name);
      map.add_layer(layer);
    }
    mapnik::rule label_rule;
    auto label = make_text_symbolizer(text, 0, true);
    mapnik::put(label, mapnik::keys::allow_overlap, true);
    label_rule.append(std::move(label));
    mapnik::feature_type_style fts;
    fts.add_rule(std::move(label_rule));
    map.insert_style(prefix + "t", std::move(fts));
    mapnik::layer layer(prefix + "t", kIdentitySrs);
    layer.set_datasource(one_feature(mapnik::geometry::point<double>(s + 8, y + s / 2.0), &titles[k]));
    layer.add_style(prefix + "t");
    map.add_layer(layer);
  }
  map.zoom_to_box(mapnik::box2d<double>(0, 0, width, height));
  mapnik::image_rgba8 image(width, height);
  mapnik::agg_renderer<mapnik::image_rgba8> renderer(map, image);
  renderer.apply();
  switch (request.format) {
    case ImageFormat::Jpeg: return mapnik::save_to_string(image, "jpeg85");
    case ImageFormat::Webp: return mapnik::save_to_string(image, "webp");
    case ImageFormat::Png8: return mapnik::save_to_string(image, "png8:z=1");
    case ImageFormat::Png32: break;
  }
  return mapnik::save_to_string(image, "png32:z=1");
}

}  // namespace amis::render
