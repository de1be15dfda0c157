#include "api/wms/wms_params.hpp"

#include <charconv>
#include <cmath>

#include "api/wms/wms_filter.hpp"
#include "core/collection.hpp"
#include "core/crs.hpp"
#include "encode/coordinate_transform.hpp"
#include "tiles/tile_maker.hpp"

namespace amis::api::wms {
namespace {

// CRS=CRS:84 | EPSG:n, and whether the BBOX then comes north first (WMS 1.3 and
// a CRS such as EPSG:4326 whose first axis is latitude).
struct MapCrs {
  core::Crs crs;
  bool swap_bbox = false;
};

MapCrs parse_map_crs(const std::string& text, bool v130) {
  const char* locator = v130 ? "CRS" : "SRS";
  const char* code = v130 ? "InvalidCRS" : "InvalidSRS";
  if (text == "CRS:84" || text == "OGC:CRS84") return {core::Crs{}, false};
  std::string_view t = text;
  if (!t.starts_with("EPSG:")) throw WmsError(code, "'" + text.substr(0, 60) + "' is not a CRS of this server", locator);
  int epsg = 0;
  auto [end, ec] = std::from_chars(t.data() + 5, t.data() + t.size(), epsg);
  if (ec != std::errc{} || end != t.data() + t.size() || epsg <= 0)
    throw WmsError(code, "'" + text.substr(0, 60) + "' is not a CRS of this server", locator);
  MapCrs m{core::Crs{epsg}, false};
  if (v130) m.swap_bbox = encode::north_first(m.crs);
  if (epsg == 4326) m.crs = core::Crs{};  // drawn in longitude, latitude either way
  try {
    if (!m.crs.is_crs84()) encode::CoordinateTransform probe(m.crs, locator, false, true);
  } catch (const core::OgcError&) {
    throw WmsError(code, "'" + text.substr(0, 60) + "' is not a CRS this server can project to", locator);
  }
  return m;
}

int dimension(const http::Request& request, const char* name, int max) {
  const std::string text = required(request, name);
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v <= 0)
    throw WmsError("InvalidParameterValue", std::string(name) + " must be a positive integer", name);
  if (v > max)
    throw WmsError("InvalidParameterValue", std::string(name) + " is larger than this server's maximum of " +
                                                std::to_string(max), name);
  return v;
}

render::Rgb parse_bgcolor(const std::string& text) {
  std::string_view t = text;
  if (t.starts_with("0x") || t.starts_with("0X")) t.remove_prefix(2);
  else if (t.starts_with("#")) t.remove_prefix(1);
  unsigned v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, 16);
  if (t.size() != 6 || ec != std::errc{} || end != t.data() + t.size())
    throw WmsError("InvalidParameterValue", "BGCOLOR must be 0xRRGGBB", "BGCOLOR");
  return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

bool parse_transparent(const http::Request& request) {
  const auto transparent = upper(param(request, "TRANSPARENT").value_or("FALSE"));
  if (transparent != "TRUE" && transparent != "FALSE")
    throw WmsError("InvalidParameterValue", "TRANSPARENT must be TRUE or FALSE", "TRANSPARENT");
  return transparent == "TRUE";
}

}  // namespace

core::Collection raster_collection(const store::RasterLayer& raster) {
  auto c = amis::tiles::raster_layer_collection(raster);
  c.geometry_type = kRasterType;
  return c;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> param(const http::Request& request, std::string_view name) {
  return http::param_ignoring_case(request, name);
}

std::string required(const http::Request& request, std::string_view name) {
  auto v = param(request, name);
  if (!v || v->empty())
    throw WmsError("MissingParameterValue", "the parameter " + std::string(name) + " is required", std::string(name));
  return *v;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

ExceptionMode parse_exceptions(const http::Request& request) {
  const auto e = param(request, "EXCEPTIONS");
  if (!e) return ExceptionMode::Xml;
  const auto mode = upper(*e);
  if (mode == "XML" || mode == "APPLICATION/VND.OGC.SE_XML") return ExceptionMode::Xml;
  if (mode == "INIMAGE" || mode == "APPLICATION/VND.OGC.SE_INIMAGE") return ExceptionMode::InImage;
  if (mode == "BLANK" || mode == "APPLICATION/VND.OGC.SE_BLANK") return ExceptionMode::Blank;
  throw WmsError("InvalidParameterValue", "EXCEPTIONS=" + e->substr(0, 40) + " is not offered (XML, INIMAGE, BLANK)",
                 "EXCEPTIONS");
}

render::ImageFormat parse_format(const std::string& text) {
  std::string f;
  for (char c : text) if (c != ' ') f += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (f == "image/png" || f == "png" || f == "image/png32") return render::ImageFormat::Png32;
  if (f == "image/png;mode=8bit" || f == "image/png8" || f == "png8") return render::ImageFormat::Png8;
  if (f == "image/jpeg" || f == "jpeg" || f == "image/jpg") return render::ImageFormat::Jpeg;
  if (f == "image/webp" || f == "webp") return render::ImageFormat::Webp;
  throw WmsError("InvalidFormat", "the format '" + text.substr(0, 60) + "' is not offered", "FORMAT");
}

render::MapRequest parse_map_request(bool v130, const http::Request& request, store::Store& store,
                                     const MapLimits& limits, std::vector<std::string>& style_names,
                                     bool format_required, const CascadedLayerLookup& cascaded) {
  render::MapRequest map;
  map.width = dimension(request, "WIDTH", limits.max_width);
  map.height = dimension(request, "HEIGHT", limits.max_height);
  const auto layers = split(required(request, "LAYERS"));
  if (layers.size() > static_cast<std::size_t>(limits.layer_limit))
    throw WmsError("InvalidParameterValue",
                   "LAYERS names " + std::to_string(layers.size()) + " layers; this server draws at most " +
                       std::to_string(limits.layer_limit) + " in one map (its LayerLimit)",
                   "LAYERS");
  const auto styles = split(param(request, "STYLES").value_or(""));
  if (styles.size() > 1 && styles.size() != layers.size())
    throw WmsError("StyleNotDefined", "STYLES must name one style per layer (or be empty)", "STYLES");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    style_names.push_back(styles.size() > i ? styles[i] : "");
    if (auto c = store.collection(layers[i]); c && core::is_map_layer(*c)) {
      map.layers.push_back(std::move(*c));
      continue;
    }
    auto raster = store.raster(layers[i]);
    if (!raster && cascaded) {
      if (auto c = cascaded(layers[i])) {
        c->geometry_type = kCascadedType;
        map.layers.push_back(std::move(*c));
        continue;
      }
    }
    if (!raster) throw WmsError("LayerNotDefined", "no layer '" + layers[i].substr(0, 80) + "'", "LAYERS");
    map.rasters.resize(i + 1);
    map.rasters[i] = std::make_shared<const store::RasterLayer>(*raster);
    map.layers.push_back(raster_collection(*raster));
  }
  const MapCrs crs = parse_map_crs(required(request, v130 ? "CRS" : "SRS"), v130);
  map.crs = crs.crs;
  const auto parts = split(required(request, "BBOX"));
  if (parts.size() != 4) throw WmsError("InvalidParameterValue", "BBOX must be minx,miny,maxx,maxy", "BBOX");
  double v[4];
  for (int i = 0; i < 4; ++i) {
    const auto& p = parts[static_cast<std::size_t>(i)];
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v[i]);
    if (ec != std::errc{} || end != p.data() + p.size() || !std::isfinite(v[i]))
      throw WmsError("InvalidParameterValue", "BBOX value '" + p.substr(0, 40) + "' is not a number", "BBOX");
  }
  if (v[0] >= v[2] || v[1] >= v[3])
    throw WmsError("InvalidParameterValue", "BBOX minimum values must be less than the maximum values", "BBOX");
  map.bbox = crs.swap_bbox ? core::Envelope{v[1], v[0], v[3], v[2]} : core::Envelope{v[0], v[1], v[2], v[3]};
  if (format_required || param(request, "FORMAT")) map.format = parse_format(required(request, "FORMAT"));
  map.transparent = parse_transparent(request);
  if (auto bg = param(request, "BGCOLOR")) map.background = parse_bgcolor(*bg);
  map.filters = parse_cql_filter(request, layers.size());
  for (std::size_t i = 0; i < map.filters.size(); ++i)
    if (map.filters[i] && (map.layers[i].geometry_type == kRasterType || map.layers[i].geometry_type == kCascadedType))
      throw WmsError("InvalidParameterValue", "layer '" + layers[i] + "' has no features here to filter",
                     "CQL_FILTER");
  return map;
}

render::MapRequest error_image_request(const http::Request& request, const MapLimits& limits) {
  render::MapRequest map;
  auto read = [&](auto fn) {
    try {
      fn();
    } catch (const core::OgcError&) {
    }
  };
  read([&] { map.width = dimension(request, "WIDTH", limits.max_width); });
  read([&] { map.height = dimension(request, "HEIGHT", limits.max_height); });
  read([&] { map.format = parse_format(param(request, "FORMAT").value_or("image/png")); });
  read([&] { map.transparent = parse_transparent(request); });
  read([&] {
    if (auto bg = param(request, "BGCOLOR")) map.background = parse_bgcolor(*bg);
  });
  return map;
}

}  // namespace amis::api::wms
