#include "render/mapnik_symbolizers.hpp"

#include <mapnik/agg_renderer.hpp>
#include <mapnik/expression.hpp>
#include <mapnik/feature.hpp>
#include <mapnik/feature_factory.hpp>
#include <mapnik/feature_type_style.hpp>
#include <mapnik/image.hpp>
#include <mapnik/image_util.hpp>
#include <mapnik/layer.hpp>
#include <mapnik/map.hpp>
#include <mapnik/memory_datasource.hpp>
#include <mapnik/font_engine_freetype.hpp>
#include <mapnik/parse_transform.hpp>
#include <mapnik/symbolizer_enumerations.hpp>
#include <mapnik/text/formatting/text.hpp>
#include <mapnik/text/placements/dummy.hpp>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unordered_map>

namespace amis::render {
namespace {

constexpr const char* kFontDirectory = "/usr/share/fonts/truetype/dejavu";

// The marks of SE 1.1 §11.3.2 other than the circle, as SVG drawn in a 10×10 box.
const char* mark_svg(MarkShape shape) {
  switch (shape) {
    case MarkShape::Square: return "<rect x='0' y='0' width='10' height='10'/>";
    case MarkShape::Triangle: return "<path d='M5 0 L10 10 L0 10 Z'/>";
    case MarkShape::Star:
      return "<path d='M5 0 L6.18 3.38 L9.76 3.45 L6.9 5.62 L7.94 9.05 L5 7 L2.06 9.05 L3.1 5.62 L0.24 3.45 "
             "L3.82 3.38 Z'/>";
    case MarkShape::Cross: return "<path d='M3.5 0 H6.5 V3.5 H10 V6.5 H6.5 V10 H3.5 V6.5 H0 V3.5 H3.5 Z'/>";
    case MarkShape::X:
      return "<path d='M1.5 0 L5 3.5 L8.5 0 L10 1.5 L6.5 5 L10 8.5 L8.5 10 L5 6.5 L1.5 10 L0 8.5 L3.5 5 L0 1.5 Z'/>";
    case MarkShape::Circle: break;
  }
  return "<circle cx='5' cy='5' r='5'/>";
}

// The SVG file of a mark, written once per process to the user's directory of
// marks (under a temporary name, then renamed: other servers may read it).
std::string mark_file(MarkShape shape) {
  static std::once_flag once;
  static std::filesystem::path directory;
  std::call_once(once, [] {
    directory = std::filesystem::temp_directory_path() / ("amis-marks-" + std::to_string(::getuid()));
    std::filesystem::create_directories(directory);
    for (MarkShape s : {MarkShape::Circle, MarkShape::Square, MarkShape::Triangle, MarkShape::Star, MarkShape::Cross,
                        MarkShape::X}) {
      const auto name = std::to_string(static_cast<int>(s)) + ".svg";
      const auto temporary = directory / (name + "." + std::to_string(::getpid()));
      std::ofstream(temporary) << "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10' "
                                  "viewBox='0 0 10 10'>"
                               << mark_svg(s) << "</svg>";
      std::error_code ec;
      std::filesystem::rename(temporary, directory / name, ec);
    }
  });
  return (directory / (std::to_string(static_cast<int>(shape)) + ".svg")).string();
}

void put_stroke(mapnik::symbolizer_base& s, const Stroke& stroke) {
  mapnik::put(s, mapnik::keys::stroke, to_mapnik(stroke.colour));
  mapnik::put(s, mapnik::keys::stroke_width, mapnik::value_double(stroke.width));
  if (stroke.colour.opacity < 1) mapnik::put(s, mapnik::keys::stroke_opacity, mapnik::value_double(stroke.colour.opacity));
  if (stroke.dashes.size() >= 2) {
    mapnik::dash_array dashes;
    for (std::size_t i = 0; i + 1 < stroke.dashes.size(); i += 2) dashes.emplace_back(stroke.dashes[i], stroke.dashes[i + 1]);
    mapnik::put(s, mapnik::keys::stroke_dasharray, dashes);
  }
}

}  // namespace

mapnik::color to_mapnik(const Colour& c) {
  return mapnik::color(c.r, c.g, c.b);
}

void register_fonts() {
  static std::once_flag once;
  std::call_once(once, [] { mapnik::freetype_engine::register_fonts(kFontDirectory, true); });
}

namespace {

// The mark of a point symbolizer as Mapnik vector markers (fill and stroke set).
mapnik::markers_symbolizer vector_mark(const PointSymbolizer& p) {
  mapnik::markers_symbolizer marker;
  if (p.shape != MarkShape::Circle) mapnik::put(marker, mapnik::keys::file, mark_file(p.shape));
  if (p.fill) {
    mapnik::put(marker, mapnik::keys::fill, to_mapnik(*p.fill));
    if (p.fill->opacity < 1) mapnik::put(marker, mapnik::keys::fill_opacity, mapnik::value_double(p.fill->opacity));
  } else {
    mapnik::put(marker, mapnik::keys::fill_opacity, mapnik::value_double(0));
  }
  if (p.stroke) {
    mapnik::put(marker, mapnik::keys::stroke, to_mapnik(p.stroke->colour));
    // The SVG marks are drawn in a 10-unit box scaled to `size`, their stroke
    // with them: the width is given in those units so that it ends up in pixels.
    const double scale = p.shape == MarkShape::Circle || p.size <= 0 ? 1.0 : 10.0 / p.size;
    mapnik::put(marker, mapnik::keys::stroke_width, mapnik::value_double(p.stroke->width * scale));
    if (p.stroke->colour.opacity < 1)
      mapnik::put(marker, mapnik::keys::stroke_opacity, mapnik::value_double(p.stroke->colour.opacity));
  } else {
    mapnik::put(marker, mapnik::keys::stroke_width, mapnik::value_double(0));
  }
  mapnik::put(marker, mapnik::keys::width, mapnik::value_double(p.size));
  mapnik::put(marker, mapnik::keys::height, mapnik::value_double(p.size));
  mapnik::put(marker, mapnik::keys::allow_overlap, true);
  mapnik::put(marker, mapnik::keys::ignore_placement, true);
  return marker;
}

// A mark drawn once into a PNG that Mapnik then copies for every point: copying
// an image is several times cheaper than rasterising the mark's outline for each
// of thousands of points (the WMS profile of dense point layers was mostly
// Mapnik's vector marker code). Mapnik copies such an image to a whole-pixel
// offset, trunc(x - side / 2), so the mark is drawn `dx`, `dy` pixels right and
// down of the sprite's centre: the caller picks the variant for each point's
// fractional position (sprite_phase), which keeps marks within 1/8 pixel.
std::string sprite_file(const PointSymbolizer& p, double dx, double dy) {
  char key[200];
  const Colour fill = p.fill.value_or(Colour{0, 0, 0, 0});
  const Stroke stroke = p.stroke.value_or(Stroke{{0, 0, 0, 0}, 0, {}});
  std::snprintf(key, sizeof key, "sprite-%d-%02x%02x%02x-%.3f-%d-%02x%02x%02x-%.3f-%.3f-%.3f-%+.3f%+.3f.png",
                static_cast<int>(p.shape), fill.r, fill.g, fill.b, fill.opacity, p.fill ? 1 : 0, stroke.colour.r,
                stroke.colour.g, stroke.colour.b, stroke.colour.opacity, p.stroke ? stroke.width : 0.0, p.size, dx,
                dy);
  static std::mutex mutex;
  static std::unordered_map<std::string, std::string> files;
  std::lock_guard lock(mutex);
  if (auto it = files.find(key); it != files.end()) return it->second;
  const int side = sprite_side(p);
  mapnik::Map map(side, side, "epsg:4326");
  map.set_background(mapnik::color(0, 0, 0, 0));
  mapnik::parameters parameters;
  parameters["type"] = "memory";
  auto ds = std::make_shared<mapnik::memory_datasource>(parameters);
  mapnik::feature_ptr feature(mapnik::feature_factory::create(std::make_shared<mapnik::context_type>(), 1));
  // Map y points up, image y down.
  feature->set_geometry(mapnik::geometry::point<double>(side / 2.0 + dx, side / 2.0 - dy));
  ds->push(feature);
  mapnik::rule rule;
  rule.append(vector_mark(p));
  mapnik::feature_type_style style;
  style.add_rule(std::move(rule));
  map.insert_style("mark", std::move(style));
  mapnik::layer layer("mark", "epsg:4326");
  layer.set_datasource(ds);
  layer.add_style("mark");
  map.add_layer(layer);
  map.zoom_to_box(mapnik::box2d<double>(0, 0, side, side));
  mapnik::image_rgba8 image(side, side);
  mapnik::agg_renderer<mapnik::image_rgba8> renderer(map, image);
  renderer.apply();
  const auto path = mark_file(MarkShape::Circle);  // the folder of the marks
  const auto file = (std::filesystem::path(path).parent_path() / key).string();
  const auto temporary = file + "." + std::to_string(::getpid());
  mapnik::save_to_file(image, temporary, "png32");
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  files.emplace(key, file);
  return file;
}

}  // namespace

int sprite_side(const PointSymbolizer& p) {
  // Even, with two pixels of margin around the mark for the phase offsets.
  const double extent = p.size + (p.stroke ? p.stroke->width : 0);
  return 2 * static_cast<int>(std::ceil(extent / 2)) + 4;
}

// Phases are eighths of a pixel from -1 to +1 (index 0 to 16), so that the
// common positions (whole and half pixels) sit in the middle of their phase
// and two maps of one place agree whatever the rounding of their transforms.
int sprite_phase(double position, int side) {
  const double offset = position - side / 2.0;
  const double fraction = offset - std::trunc(offset);  // (-1, 1): Mapnik truncates
  return std::clamp(static_cast<int>(std::lround(fraction * 8)) + 8, 0, kSpritePhases - 1);
}

bool draws_with_sprites(const Rule& rule) {
  bool points = false;
  for (const auto& s : rule.symbolizers) {
    if (std::holds_alternative<TextSymbolizer>(s)) continue;
    const auto* p = std::get_if<PointSymbolizer>(&s);
    if (!p || !p->graphic.empty() || p->rotation != 0) return false;
    points = true;
  }
  return points;
}

void append_sprite_symbolizers(mapnik::rule& rule, const Rule& style_rule, int phase_x, int phase_y) {
  auto offset = [](int phase) { return (phase - 8) / 8.0; };
  for (const auto& s : style_rule.symbolizers) {
    const auto* p = std::get_if<PointSymbolizer>(&s);
    if (!p) continue;
    mapnik::markers_symbolizer marker;
    mapnik::put(marker, mapnik::keys::file, sprite_file(*p, offset(phase_x), offset(phase_y)));
    if (p->opacity < 1) mapnik::put(marker, mapnik::keys::opacity, mapnik::value_double(p->opacity));
    mapnik::put(marker, mapnik::keys::allow_overlap, true);
    mapnik::put(marker, mapnik::keys::ignore_placement, true);
    rule.append(std::move(marker));
  }
}

void append_geometry_symbolizer(mapnik::rule& rule, const Symbolizer& symbolizer) {
  if (const auto* p = std::get_if<PointSymbolizer>(&symbolizer)) {
    mapnik::markers_symbolizer marker;
    if (!p->graphic.empty()) {
      mapnik::put(marker, mapnik::keys::file, p->graphic);
      mapnik::put(marker, mapnik::keys::width, mapnik::value_double(p->size));
      mapnik::put(marker, mapnik::keys::height, mapnik::value_double(p->size));
    } else {
      marker = vector_mark(*p);
    }
    if (p->opacity < 1) mapnik::put(marker, mapnik::keys::opacity, mapnik::value_double(p->opacity));
    if (p->rotation != 0) {
      mapnik::put(marker, mapnik::keys::image_transform,
                  mapnik::parse_transform("rotate(" + std::to_string(p->rotation) + ")"));
    }
    mapnik::put(marker, mapnik::keys::allow_overlap, true);
    mapnik::put(marker, mapnik::keys::ignore_placement, true);
    rule.append(std::move(marker));
  } else if (const auto* l = std::get_if<LineSymbolizer>(&symbolizer)) {
    mapnik::line_symbolizer line;
    put_stroke(line, l->stroke);
    rule.append(std::move(line));
  } else if (const auto* g = std::get_if<PolygonSymbolizer>(&symbolizer)) {
    if (g->fill) {
      mapnik::polygon_symbolizer fill;
      mapnik::put(fill, mapnik::keys::fill, to_mapnik(*g->fill));
      if (g->fill->opacity < 1) mapnik::put(fill, mapnik::keys::fill_opacity, mapnik::value_double(g->fill->opacity));
      rule.append(std::move(fill));
    }
    if (g->stroke) {
      mapnik::line_symbolizer line;
      put_stroke(line, *g->stroke);
      rule.append(std::move(line));
    }
  }
}

mapnik::text_symbolizer make_text_symbolizer(const TextSymbolizer& t, double wrap_width, bool from_point) {
  register_fonts();
  mapnik::text_symbolizer text;
  auto placements = std::make_shared<mapnik::text_placements_dummy>();
  auto& format = placements->defaults.format_defaults;
  format.face_name = t.bold ? "DejaVu Sans Bold" : "DejaVu Sans Book";
  format.text_size = mapnik::value_double(t.size);
  format.fill = to_mapnik(t.fill);
  if (t.fill.opacity < 1) format.text_opacity = mapnik::value_double(t.fill.opacity);
  if (t.halo_radius) {
    format.halo_fill = to_mapnik(t.halo_fill);
    format.halo_radius = mapnik::value_double(*t.halo_radius);
  }
  auto& layout = placements->defaults.layout_defaults;
  layout.dx = mapnik::value_double(t.dx);
  layout.dy = mapnik::value_double(-t.dy);  // SE's y displacement points up, Mapnik's down
  if (wrap_width > 0) layout.wrap_width = mapnik::value_double(wrap_width);
  if (from_point) layout.halign = mapnik::enumeration_wrapper(mapnik::H_RIGHT);
  placements->defaults.set_format_tree(
      std::make_shared<mapnik::formatting::text_node>(mapnik::parse_expression(std::string("[") + kLabelAttribute + "]")));
  mapnik::put<mapnik::text_placements_ptr>(text, mapnik::keys::text_placements_, placements);
  return text;
}

}  // namespace amis::render
