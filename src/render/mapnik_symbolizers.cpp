#include "render/mapnik_symbolizers.hpp"

#include <mapnik/expression.hpp>
#include <mapnik/font_engine_freetype.hpp>
#include <mapnik/parse_transform.hpp>
#include <mapnik/symbolizer_enumerations.hpp>
#include <mapnik/text/formatting/text.hpp>
#include <mapnik/text/placements/dummy.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

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

void append_geometry_symbolizer(mapnik::rule& rule, const Symbolizer& symbolizer) {
  if (const auto* p = std::get_if<PointSymbolizer>(&symbolizer)) {
    mapnik::markers_symbolizer marker;
    if (!p->graphic.empty()) {
      mapnik::put(marker, mapnik::keys::file, p->graphic);
    } else if (p->shape != MarkShape::Circle) {
      mapnik::put(marker, mapnik::keys::file, mark_file(p->shape));
    }
    if (p->graphic.empty()) {
      if (p->fill) {
        mapnik::put(marker, mapnik::keys::fill, to_mapnik(*p->fill));
        if (p->fill->opacity < 1) mapnik::put(marker, mapnik::keys::fill_opacity, mapnik::value_double(p->fill->opacity));
      } else {
        mapnik::put(marker, mapnik::keys::fill_opacity, mapnik::value_double(0));
      }
      if (p->stroke) {
        mapnik::put(marker, mapnik::keys::stroke, to_mapnik(p->stroke->colour));
        mapnik::put(marker, mapnik::keys::stroke_width, mapnik::value_double(p->stroke->width));
        if (p->stroke->colour.opacity < 1)
          mapnik::put(marker, mapnik::keys::stroke_opacity, mapnik::value_double(p->stroke->colour.opacity));
      } else {
        mapnik::put(marker, mapnik::keys::stroke_width, mapnik::value_double(0));
      }
    }
    mapnik::put(marker, mapnik::keys::width, mapnik::value_double(p->size));
    mapnik::put(marker, mapnik::keys::height, mapnik::value_double(p->size));
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
