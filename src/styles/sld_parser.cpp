#include "styles/sld_parser.hpp"

#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "query/fes.hpp"
#include "query/xml_document.hpp"

namespace amis::styles {
namespace {

using query::child_element;
using query::local_name;

constexpr std::size_t kMaxRules = 100;
constexpr std::size_t kMaxSymbolizers = 16;
constexpr double kMaxSize = 256;

[[noreturn]] void refuse(const std::string& reason) { throw core::InvalidParameter("sld", reason); }

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The text of an element whose value may be written directly or as ogc:Literal;
// a value computed from a property or a function is refused.
std::string literal_text(const pugi::xml_node& node, const char* what) {
  std::string text;
  for (auto child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    } else if (child.type() == pugi::node_element) {
      if (local_name(child) != "Literal")
        refuse(std::string(what) + " must be a literal value, not <" + std::string(local_name(child)) + ">");
      text += child.child_value();
    }
  }
  return trimmed(text);
}

double number(const pugi::xml_node& node, const char* what, double low, double high) {
  const std::string text = literal_text(node, what);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
    refuse(std::string(what) + " must be a number, not '" + text.substr(0, 40) + "'");
  if (v < low || v > high)
    refuse(std::string(what) + " must be between " + std::to_string(low) + " and " + std::to_string(high));
  return v;
}

render::Colour colour(const std::string& text, const char* what) {
  std::string_view t = text;
  if (t.starts_with("#")) t.remove_prefix(1);
  unsigned v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, 16);
  if (t.size() != 6 || ec != std::errc{} || end != t.data() + t.size())
    refuse(std::string(what) + " must be a colour #RRGGBB, not '" + text.substr(0, 40) + "'");
  return {static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v), 1};
}

// The CssParameter (SLD 1.0) or SvgParameter (SE 1.1) children, by name.
template <typename Fn>
void parameters(const pugi::xml_node& node, Fn fn) {
  for (auto p : node.children()) {
    const auto name = local_name(p);
    if (name == "CssParameter" || name == "SvgParameter") fn(std::string(p.attribute("name").value()), p);
  }
}

render::Colour read_fill(const pugi::xml_node& fill) {
  render::Colour c{128, 128, 128, 1};
  parameters(fill, [&](const std::string& name, const pugi::xml_node& p) {
    if (name == "fill") {
      const double opacity = c.opacity;
      c = colour(literal_text(p, "fill"), "fill");
      c.opacity = opacity;
    } else if (name == "fill-opacity") {
      c.opacity = number(p, "fill-opacity", 0, 1);
    }
  });
  return c;
}

render::Stroke read_stroke(const pugi::xml_node& stroke) {
  render::Stroke s;
  parameters(stroke, [&](const std::string& name, const pugi::xml_node& p) {
    if (name == "stroke") {
      const double opacity = s.colour.opacity;
      s.colour = colour(literal_text(p, "stroke"), "stroke");
      s.colour.opacity = opacity;
    } else if (name == "stroke-width") {
      s.width = number(p, "stroke-width", 0, 100);
    } else if (name == "stroke-opacity") {
      s.colour.opacity = number(p, "stroke-opacity", 0, 1);
    } else if (name == "stroke-dasharray") {
      const std::string text = literal_text(p, "stroke-dasharray");
      std::size_t start = 0;
      while (start < text.size()) {
        while (start < text.size() && (text[start] == ' ' || text[start] == ',')) ++start;
        std::size_t end = start;
        while (end < text.size() && text[end] != ' ' && text[end] != ',') ++end;
        if (end > start) {
          double v = 0;
          auto [stop, ec] = std::from_chars(text.data() + start, text.data() + end, v);
          if (ec != std::errc{} || stop != text.data() + end || v < 0 || v > 1000)
            refuse("stroke-dasharray must be numbers from 0 to 1000, not '" + text.substr(0, 40) + "'");
          s.dashes.push_back(v);
        }
        start = end;
      }
      if (s.dashes.size() > 16) refuse("stroke-dasharray has more than 16 values");
      double total = 0;
      for (double d : s.dashes) total += d;
      // A pattern of (nearly) nothing would never advance along the line.
      if (!s.dashes.empty() && total < 1) refuse("stroke-dasharray must add up to at least 1 pixel");
      if (s.dashes.size() % 2 == 1) {  // SVG repeats an odd list to make it even
        const auto copy = s.dashes;
        s.dashes.insert(s.dashes.end(), copy.begin(), copy.end());
      }
    }
  });
  return s;
}

render::MarkShape mark_shape(const std::string& name) {
  static const std::pair<const char*, render::MarkShape> kShapes[] = {
      {"circle", render::MarkShape::Circle}, {"square", render::MarkShape::Square},
      {"triangle", render::MarkShape::Triangle}, {"star", render::MarkShape::Star},
      {"cross", render::MarkShape::Cross}, {"x", render::MarkShape::X}};
  for (const auto& [n, shape] : kShapes)
    if (name == n) return shape;
  refuse("WellKnownName '" + name.substr(0, 40) + "' is not one of circle, square, triangle, star, cross, x");
}

// An ExternalGraphic: a PNG or SVG file of the symbol folder, named by its file
// name only (no path, no URL: nothing is fetched, nothing outside is read).
std::string external_graphic(const pugi::xml_node& graphic, const SldContext& context) {
  const auto resource = child_element(graphic, "OnlineResource");
  std::string href = resource.attribute("xlink:href").value();
  if (href.empty()) href = resource.attribute("href").value();
  const auto slash = href.find_last_of('/');
  const std::string file = slash == std::string::npos ? href : href.substr(slash + 1);
  bool plain = !file.empty() && file.size() <= 100;
  for (char c : file) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  const bool image = file.ends_with(".png") || file.ends_with(".svg");
  if (!plain || !image || file.starts_with(".") || context.symbol_directory.empty())
    refuse("ExternalGraphic must name a .png or .svg file of the server's symbols, not '" + href.substr(0, 80) + "'");
  const auto path = context.symbol_directory / file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) refuse("there is no symbol '" + file + "' on this server");
  return path.string();
}

render::PointSymbolizer read_point(const pugi::xml_node& node, const SldContext& context) {
  render::PointSymbolizer p;
  const auto graphic = child_element(node, "Graphic");
  if (!graphic) return p;
  if (const auto external = child_element(graphic, "ExternalGraphic")) {
    p.graphic = external_graphic(external, context);
  } else if (const auto mark = child_element(graphic, "Mark")) {
    if (const auto name = child_element(mark, "WellKnownName")) p.shape = mark_shape(literal_text(name, "WellKnownName"));
    const auto fill = child_element(mark, "Fill");
    const auto stroke = child_element(mark, "Stroke");
    // SE 11.3.2: a Mark without Fill or Stroke has the default grey fill and black stroke.
    if (fill || stroke) {
      p.fill = fill ? std::optional(read_fill(fill)) : std::nullopt;
      p.stroke = stroke ? std::optional(read_stroke(stroke)) : std::nullopt;
    }
  }
  if (const auto size = child_element(graphic, "Size")) p.size = number(size, "Size", 0, kMaxSize);
  if (const auto rotation = child_element(graphic, "Rotation")) p.rotation = number(rotation, "Rotation", -360, 360);
  if (const auto opacity = child_element(graphic, "Opacity")) p.opacity = number(opacity, "Opacity", 0, 1);
  return p;
}

render::TextSymbolizer read_text(const pugi::xml_node& node, const core::Collection& collection) {
  render::TextSymbolizer t;
  const auto label = child_element(node, "Label");
  const auto property = child_element(label, "PropertyName");
  const auto value_reference = property ? property : child_element(label, "ValueReference");
  if (!value_reference) refuse("a TextSymbolizer needs a Label with a PropertyName");
  const auto name = query::resolve_value_reference(trimmed(value_reference.child_value()), collection);
  if (!name || !collection.property(*name))
    refuse("the label names no property of '" + collection.id + "': '" +
           trimmed(value_reference.child_value()).substr(0, 60) + "'");
  t.label = *name;
  if (const auto font = child_element(node, "Font"))
    parameters(font, [&](const std::string& n, const pugi::xml_node& p) {
      if (n == "font-size") t.size = number(p, "font-size", 4, 72);
      if (n == "font-weight") t.bold = literal_text(p, "font-weight") == "bold";
    });
  if (const auto fill = child_element(node, "Fill")) t.fill = read_fill(fill);
  if (const auto halo = child_element(node, "Halo")) {
    t.halo_radius = 1;
    if (const auto radius = child_element(halo, "Radius")) t.halo_radius = number(radius, "Radius", 0, 10);
    if (const auto fill = child_element(halo, "Fill")) t.halo_fill = read_fill(fill);
  }
  const auto point = child_element(child_element(node, "LabelPlacement"), "PointPlacement");
  if (const auto displacement = child_element(point, "Displacement")) {
    if (const auto x = child_element(displacement, "DisplacementX")) t.dx = number(x, "DisplacementX", -100, 100);
    if (const auto y = child_element(displacement, "DisplacementY")) t.dy = number(y, "DisplacementY", -100, 100);
  }
  return t;
}

constexpr std::size_t kMaxColorMapEntries = 256;

double attribute_number(const pugi::xml_node& node, const char* name, const char* what, double fallback) {
  const auto a = node.attribute(name);
  if (!a) return fallback;
  const std::string text = trimmed(a.value());
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
    refuse(std::string(what) + " must be a number, not '" + text.substr(0, 40) + "'");
  return v;
}

// A RasterSymbolizer's ColorMap (SLD 1.0: type ramp|intervals|values, ColorMapEntry
// color, quantity, opacity, label), quantities ascending.
render::ColorMap read_color_map(const pugi::xml_node& symbolizer) {
  const auto node = child_element(symbolizer, "ColorMap");
  if (!node) refuse("a RasterSymbolizer needs a ColorMap");
  if (child_element(node, "Categorize") || child_element(node, "Interpolate"))
    refuse("ColorMap functions (Categorize, Interpolate) are not supported: use ColorMapEntry elements");
  render::ColorMap map;
  const std::string type = node.attribute("type") ? trimmed(node.attribute("type").value()) : "ramp";
  if (type == "ramp") map.type = render::ColorMapType::Ramp;
  else if (type == "intervals") map.type = render::ColorMapType::Intervals;
  else if (type == "values") map.type = render::ColorMapType::Values;
  else refuse("ColorMap type must be ramp, intervals or values, not '" + type.substr(0, 40) + "'");
  for (auto entry : node.children()) {
    if (local_name(entry) != "ColorMapEntry") continue;
    render::ColorMapEntry e;
    if (!entry.attribute("color") || !entry.attribute("quantity")) refuse("a ColorMapEntry needs color and quantity");
    e.colour = colour(trimmed(entry.attribute("color").value()), "ColorMapEntry color");
    e.quantity = attribute_number(entry, "quantity", "ColorMapEntry quantity", 0);
    e.colour.opacity = attribute_number(entry, "opacity", "ColorMapEntry opacity", 1);
    if (e.colour.opacity < 0 || e.colour.opacity > 1) refuse("ColorMapEntry opacity must be between 0 and 1");
    e.label = trimmed(entry.attribute("label").value()).substr(0, 200);
    if (!map.entries.empty() && e.quantity < map.entries.back().quantity)
      refuse("ColorMapEntry quantities must be in ascending order");
    map.entries.push_back(std::move(e));
    if (map.entries.size() > kMaxColorMapEntries) refuse("a ColorMap has more than 256 entries");
  }
  if (map.entries.empty()) refuse("a ColorMap needs at least one ColorMapEntry");
  return map;
}

std::string title_of(const pugi::xml_node& node) {
  if (const auto t = child_element(node, "Title")) return trimmed(t.child_value());
  return trimmed(child_element(child_element(node, "Description"), "Title").child_value());
}

std::string abstract_of(const pugi::xml_node& node) {
  if (const auto t = child_element(node, "Abstract")) return trimmed(t.child_value());
  return trimmed(child_element(child_element(node, "Description"), "Abstract").child_value());
}

render::Rule read_rule(const pugi::xml_node& node, const core::Collection& collection, const SldContext& context) {
  render::Rule rule;
  rule.name = trimmed(child_element(node, "Name").child_value());
  rule.title = title_of(node);
  const bool raster = collection.geometry_type == kRasterGeometryType;
  for (auto child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const auto name = local_name(child);
    if (raster && name.ends_with("Symbolizer") && name != "RasterSymbolizer")
      refuse("raster layer '" + collection.id + "' takes a RasterSymbolizer only");
    if (raster && name == "Filter") refuse("raster layer '" + collection.id + "' has no features to filter");
    if (name == "Filter") {
      const query::FesContext fes{collection, core::SrsName{core::Crs{}, true, "CRS:84"}};
      query::FesFilter filter;
      try {
        filter = query::parse_fes_filter(child, fes);
      } catch (const core::OgcError& e) {
        refuse(std::string("rule filter: ") + e.what());
      }
      if (!filter.resource_ids.empty()) refuse("a rule filter selects by properties, not by feature ids");
      if (filter.expression) rule.filter = std::make_shared<const core::Expression>(std::move(*filter.expression));
    } else if (name == "ElseFilter") {
      rule.else_filter = true;
    } else if (name == "MinScaleDenominator") {
      rule.min_scale = number(child, "MinScaleDenominator", 0, 1e12);
    } else if (name == "MaxScaleDenominator") {
      rule.max_scale = number(child, "MaxScaleDenominator", 0, 1e12);
    } else if (name == "PointSymbolizer") {
      rule.symbolizers.emplace_back(read_point(child, context));
    } else if (name == "LineSymbolizer") {
      const auto stroke = child_element(child, "Stroke");
      rule.symbolizers.emplace_back(render::LineSymbolizer{stroke ? read_stroke(stroke) : render::Stroke{}});
    } else if (name == "PolygonSymbolizer") {
      render::PolygonSymbolizer p;
      const auto fill = child_element(child, "Fill");
      const auto stroke = child_element(child, "Stroke");
      p.fill = fill ? std::optional(read_fill(fill)) : std::nullopt;
      p.stroke = stroke ? std::optional(read_stroke(stroke)) : std::nullopt;
      if (!fill && !stroke) p.fill = render::Colour{128, 128, 128, 1};  // SE 11.3: grey by default
      rule.symbolizers.emplace_back(p);
    } else if (name == "TextSymbolizer") {
      rule.symbolizers.emplace_back(read_text(child, collection));
    } else if (name == "RasterSymbolizer") {
      if (!raster) refuse("RasterSymbolizer is for raster layers, not feature collections");
      if (rule.color_map) refuse("a rule has more than one RasterSymbolizer");
      rule.color_map = read_color_map(child);
    }
    if (rule.symbolizers.size() > kMaxSymbolizers) refuse("a rule has more than 16 symbolizers");
  }
  return rule;
}

render::Style read_user_style(const pugi::xml_node& node, const core::Collection& collection,
                              const SldContext& context) {
  render::Style style;
  style.name = trimmed(child_element(node, "Name").child_value());
  style.title = title_of(node);
  style.abstract = abstract_of(node);
  for (auto fts : node.children()) {
    const auto name = local_name(fts);
    if (name != "FeatureTypeStyle" && name != "CoverageStyle") continue;
    for (auto r : fts.children()) {
      if (local_name(r) != "Rule") continue;
      style.rules.push_back(read_rule(r, collection, context));
      if (style.rules.size() > kMaxRules) refuse("a style has more than 100 rules");
    }
  }
  if (style.rules.empty()) refuse("the style '" + style.name + "' has no rule");
  if (style.title.empty()) style.title = title_of(child_element(node, "FeatureTypeStyle"));
  if (style.abstract.empty()) style.abstract = abstract_of(child_element(node, "FeatureTypeStyle"));
  return style;
}

}  // namespace

std::vector<SldLayerStyle> parse_sld(std::string_view xml, const SldContext& context) {
  pugi::xml_document doc;
  try {
    query::parse_xml(doc, xml, "sld");
  } catch (const core::OgcError& e) {
    refuse(e.what());
  }
  const auto root = doc.document_element();
  std::vector<SldLayerStyle> out;
  if (local_name(root) == "FeatureTypeStyle") {  // a bare SE FeatureTypeStyle
    const auto* collection = context.collection("");
    if (!collection) refuse("a bare FeatureTypeStyle styles no layer");
    pugi::xml_document wrapper;
    auto user = wrapper.append_child("UserStyle");
    user.append_copy(root);
    out.push_back({collection->id, read_user_style(user, *collection, context)});
    return out;
  }
  if (local_name(root) != "StyledLayerDescriptor") refuse("the document is not an SLD StyledLayerDescriptor");
  for (auto layer : root.children()) {
    const auto kind = local_name(layer);
    if (kind == "UserLayer") refuse("UserLayer (inline or remote data) is not supported: style a NamedLayer");
    if (kind != "NamedLayer") continue;
    const std::string name = trimmed(child_element(layer, "Name").child_value());
    const auto* collection = context.collection(name);
    if (!collection) refuse("no layer '" + name.substr(0, 80) + "'");
    for (auto style : layer.children()) {
      if (local_name(style) == "NamedStyle") refuse("NamedStyle inside an SLD is not supported: use STYLES");
      if (local_name(style) != "UserStyle") continue;
      out.push_back({collection->id, read_user_style(style, *collection, context)});
    }
  }
  if (out.empty()) refuse("the document has no NamedLayer with a UserStyle");
  return out;
}

std::vector<render::Style> parse_sld_for(std::string_view xml, const core::Collection& collection,
                                         const std::filesystem::path& symbol_directory) {
  SldContext context{[&](std::string_view name) { return name.empty() || name == collection.id ? &collection : nullptr; },
                     symbol_directory};
  std::vector<render::Style> styles;
  for (auto& s : parse_sld(xml, context)) styles.push_back(std::move(s.style));
  return styles;
}

}  // namespace amis::styles
