#include "api/wms/wms_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <cstdio>

#include "api/common/exception_response.hpp"
#include "api/wms/wms_capabilities.hpp"
#include "core/error.hpp"
#include "encode/xml_text.hpp"
#include "render/map_renderer.hpp"
#include "render/render_gate.hpp"
#include "styles/sld_parser.hpp"

namespace amis::api::wms {
namespace {

using encode::append_xml_text;

std::string exception_report(const core::OgcError& e, bool v130) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += v130 ? "<ServiceExceptionReport version=\"1.3.0\" xmlns=\"http://www.opengis.net/ogc\""
                " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.opengis.net/ogc"
                " http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd\">"
              : "<ServiceExceptionReport version=\"1.1.1\">";
  out += "<ServiceException";
  if (!e.code().empty()) {
    out += " code=\"";
    append_xml_text(out, e.code());
    out += '"';
  }
  if (!e.locator().empty() && v130) {
    out += " locator=\"";
    append_xml_text(out, e.locator());
    out += '"';
  }
  out += '>';
  append_xml_text(out, e.what());
  out += "</ServiceException></ServiceExceptionReport>\n";
  return out;
}

bool is(const std::string& op, const char* name) {
  return upper(op) == upper(name);
}

}  // namespace

void WmsService::register_routes(http::Router& router) {
  router.add("GET", "/wms", [this](http::Request& rq, http::Response& rs) { handle(rq, rs); });
}

MapLimits WmsService::limits() const {
  return {settings_.max_width, settings_.max_height, render::render_gate().limits().layer_limit};
}

std::string WmsService::base_url(const http::Request& request) const {
  return http::base_url(request, settings_.base_url);
}

void WmsService::handle(http::Request& request, http::Response& response) {
  // Version negotiation (WMS 1.3.0, 6.2.4): 1.3.0 for 1.3.0 and above, 1.1.1 below it.
  const auto version = param(request, "VERSION").value_or(param(request, "WMTVER").value_or("1.3.0"));
  int major = 0, minor = 0;
  std::sscanf(version.c_str(), "%d.%d", &major, &minor);
  const bool v130 = version.empty() || major > 1 || (major == 1 && minor >= 3);
  bool get_map_request = false;
  try {
    if (auto service = param(request, "SERVICE"); service && upper(*service) != "WMS")
      throw WmsError("InvalidParameterValue", "SERVICE must be WMS", "SERVICE");
    const std::string op = required(request, "REQUEST");
    if (is(op, "GetCapabilities") || op == "capabilities") return get_capabilities(v130, request, response);
    if (is(op, "GetMap") || op == "map") {
      get_map_request = true;
      return get_map(v130, request, response);
    }
    if (is(op, "GetFeatureInfo") || op == "feature_info") return get_feature_info(v130, request, response);
    if (is(op, "GetLegendGraphic")) return get_legend_graphic(request, response);
    throw WmsError("OperationNotSupported", "the operation '" + op.substr(0, 60) + "' is not offered", "REQUEST");
  } catch (const core::OgcError& raised) {
    if (response.started()) throw;
    response.discard_unsent();
    // The store names a filter's errors after OGC API's parameter; here it is CQL_FILTER.
    const core::OgcError e = raised.locator() == "filter" && param(request, "CQL_FILTER")
                                 ? WmsError("InvalidParameterValue", std::string("CQL_FILTER: ") + raised.what(),
                                            "CQL_FILTER")
                                 : raised;
    if (core::hidden_from_client(e)) {
      spdlog::error("{} {}: {}", request.method, request.path, e.what());
      const WmsError hidden("", "the server could not complete the request", "");
      return response.send(500, v130 ? "text/xml" : "application/vnd.ogc.se_xml", exception_report(hidden, v130));
    }
    const int status = e.status() >= 400 ? e.status() : 400;
    // GetMap errors as an image when the client asked for that (WMS 1.3.0, 7.3.3.11),
    // except a 503: drawing an image of the requested size (up to the maximum) for a
    // request turned away because the server draws too much would draw anyway.
    ExceptionMode mode = ExceptionMode::Xml;
    try {
      if (get_map_request && e.status() != 503) mode = parse_exceptions(request);
    } catch (const core::OgcError&) {
    }
    if (mode != ExceptionMode::Xml) {
      const auto image = error_image_request(request, limits());
      return response.send(status, render::media_type(image.format),
                           mode == ExceptionMode::InImage ? render::render_message(image, e.what())
                                                          : render::render_message(image, ""),
                           error_headers(raised));
    }
    response.send(status, v130 ? "text/xml" : "application/vnd.ogc.se_xml", exception_report(e, v130),
                  error_headers(raised));
  }
}

void WmsService::get_capabilities(bool v130, const http::Request& request, http::Response& response) {
  CapabilitiesInfo info{base_url(request) + "/wms", settings_.title, settings_.description, settings_.max_width,
                        settings_.max_height, limits().layer_limit};
  std::vector<CapabilitiesLayer> layers;
  for (auto& c : store_.collections()) {
    if (!core::is_map_layer(c)) continue;
    CapabilitiesLayer layer{c, {}};
    for (auto& s : styles_.list(c)) {
      LayerStyle style{s.name, s.title, s.abstract, 0, 0};
      try {
        if (auto drawn = styles_.find(c, s.name)) {
          const auto size = render::legend_size(c, *drawn, {});
          style.legend_width = size.width;
          style.legend_height = size.height;
        }
      } catch (const core::OgcError& e) {  // a stored style that no longer fits its collection
        spdlog::warn("style '{}' of '{}' is left out of the capabilities: {}", s.name, c.id, e.what());
        continue;
      }
      layer.styles.push_back(std::move(style));
    }
    layers.push_back(std::move(layer));
  }
  for (const auto& raster : store_.rasters()) {
    CapabilitiesLayer layer{raster_collection(raster), {{"default", "Colour ramp", "Blue (" + std::to_string(raster.min) +
                                                          ") to white to red (" + std::to_string(raster.max) + ")", 0, 0}}};
    for (const auto& s : render::raster_style_names())
      if (std::string_view(s.name) != "default") layer.styles.push_back({s.name, s.title, s.abstract, 0, 0});
    layer.queryable = true;  // GetFeatureInfo answers each band's value at the point
    layers.push_back(std::move(layer));
  }
  add_cascaded_capabilities(layers);
  response.send(200, v130 ? "text/xml" : "application/vnd.ogc.wms_xml", capabilities_document(v130, info, layers));
}

namespace {

// The hillshade style under the request's light: vendor parameters AZIMUTH,
// ALTITUDE and ZFACTOR (GDAL's -az, -alt, -z), each defaulting to GDAL's own.
std::shared_ptr<const render::Style> hillshade_light(const http::Request& request) {
  static const char* const kNames[3] = {"AZIMUTH", "ALTITUDE", "ZFACTOR"};
  render::HillshadeLight light;
  double* values[3] = {&light.azimuth, &light.altitude, &light.z_factor};
  for (int i = 0; i < 3; ++i) {
    const auto text = param(request, kNames[i]);
    if (!text) continue;
    double v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || end != text->data() + text->size())
      throw WmsError("InvalidParameterValue", std::string(kNames[i]) + " must be a number", kNames[i]);
    *values[i] = v;
  }
  try {
    return render::hillshade_style(light, kNames);
  } catch (const core::InvalidParameter& e) {
    throw WmsError("InvalidParameterValue", e.what(), e.locator());
  }
}

}  // namespace

render::MapRequest WmsService::map_request(bool v130, const http::Request& request, bool format_required) {
  if (param(request, "SLD"))
    throw WmsError("OperationNotSupported", "SLD by reference is not fetched: send the document as SLD_BODY", "SLD");
  if (auto body = param(request, "SLD_BODY")) return styled_map_request(v130, request, *body, format_required);
  std::vector<std::string> names;
  render::MapRequest map = parse_map_request(v130, request, store_, limits(), names, format_required,
                                             cascaded_lookup());
  for (std::size_t i = 0; i < map.layers.size(); ++i) {
    if (cascaded_style(map.layers[i], names[i], map.styles)) continue;
    if (map.layers[i].geometry_type == kRasterType) {
      auto style = render::raster_style(names[i]);
      if (!style)
        throw WmsError("StyleNotDefined", "raster layer '" + map.layers[i].id + "' has no style '" +
                                              names[i].substr(0, 80) + "' (default, hillshade)",
                       "STYLES");
      if (*style && (*style)->hillshade) style = hillshade_light(request);
      map.styles.push_back(std::move(*style));
      continue;
    }
    auto style = styles_.find(map.layers[i], names[i], i);
    if (!style)
      throw WmsError("StyleNotDefined",
                     "layer '" + map.layers[i].id + "' has no style '" + names[i].substr(0, 80) + "'", "STYLES");
    map.styles.push_back(std::move(style));
  }
  return map;
}

// SLD_BODY (SLD 1.0 WMS profile): each NamedLayer's first UserStyle styles that
// layer; without LAYERS, the document's layers are drawn in its order.
render::MapRequest WmsService::styled_map_request(bool v130, const http::Request& request, const std::string& body,
                                                  bool format_required) {
  std::vector<amis::styles::SldLayerStyle> sld;
  std::deque<core::Collection> known;  // stable addresses for the parser
  try {
    amis::styles::SldContext context{[&](std::string_view name) -> const core::Collection* {
                                 for (const auto& c : known)
                                   if (c.id == name) return &c;
                                 auto c = store_.collection(name);
                                 if (!c) {
                                   auto raster = store_.raster(name);
                                   if (!raster) return nullptr;
                                   c = raster_collection(*raster);  // styled with a RasterSymbolizer
                                 }
                                 known.push_back(std::move(*c));
                                 return &known.back();
                               },
                               styles_.symbol_directory()};
    sld = amis::styles::parse_sld(body, context);
  } catch (const core::OgcError& e) {
    throw WmsError("InvalidParameterValue", e.what(), "SLD_BODY");
  }
  http::Request copy = request;
  if (!param(request, "LAYERS")) {
    std::vector<std::string> seen;
    std::string layers;
    for (const auto& s : sld) {
      if (std::find(seen.begin(), seen.end(), s.layer) != seen.end()) continue;
      seen.push_back(s.layer);
      layers += (layers.empty() ? "" : ",") + s.layer;
    }
    copy.query.emplace_back("LAYERS", layers);
    copy.query.emplace_back("STYLES", "");
  }
  std::vector<std::string> names;
  render::MapRequest map = parse_map_request(v130, copy, store_, limits(), names, format_required,
                                             cascaded_lookup());
  for (std::size_t i = 0; i < map.layers.size(); ++i) {
    if (cascaded_style(map.layers[i], names[i], map.styles)) continue;
    std::shared_ptr<const render::Style> style;
    for (const auto& s : sld)
      if (!style && s.layer == map.layers[i].id) style = std::make_shared<const render::Style>(s.style);
    if (!style && map.layers[i].geometry_type == kRasterType) {  // its default colour ramp
      map.styles.push_back(nullptr);
      continue;
    }
    if (!style) style = styles_.find(map.layers[i], names[i], i);
    if (!style)
      throw WmsError("StyleNotDefined",
                     "layer '" + map.layers[i].id + "' has no style '" + names[i].substr(0, 80) + "'", "STYLES");
    map.styles.push_back(std::move(style));
  }
  return map;
}

void WmsService::get_map(bool v130, const http::Request& request, http::Response& response) {
  parse_exceptions(request);  // an unknown EXCEPTIONS value is itself an error
  render::MapRequest map = map_request(v130, request, true);
  if (send_cascaded_alone(map, response)) return;
  add_cascaded_images(map);
  std::string image = render::render_map(store_, map);
  response.send(200, render::media_type(map.format), std::move(image));
}

// The legend of a raster layer as a style of swatches: the colour map of an SLD_BODY's
// RasterSymbolizer (one row per entry, titled by its label or quantity), or the
// default ramp's stops with their values.
std::shared_ptr<const render::Style> WmsService::raster_legend_style(const store::RasterLayer& raster,
                                                                     const http::Request& request) {
  const std::string name = param(request, "STYLE").value_or("");
  if (!name.empty() && name != "default" && name != "hillshade")
    throw WmsError("StyleNotDefined", "raster layer '" + raster.id + "' has no style '" + name.substr(0, 80) + "'",
                   "STYLE");
  render::Style legend;
  auto row = [&](const std::string& title, unsigned char r, unsigned char g, unsigned char b, double opacity) {
    render::Rule rule;
    rule.name = rule.title = title;
    rule.symbolizers.emplace_back(render::PolygonSymbolizer{render::Colour{r, g, b, opacity}, std::nullopt});
    legend.rules.push_back(std::move(rule));
  };
  auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return std::string(text);
  };
  if (name == "hillshade") {
    for (const auto& shade : render::hillshade_legend(*hillshade_light(request)))
      row(shade.label, shade.grey, shade.grey, shade.grey, 1);
  } else if (auto body = param(request, "SLD_BODY")) {
    const core::Collection c = raster_collection(raster);
    std::vector<render::Style> styles;
    try {
      styles = amis::styles::parse_sld_for(*body, c, {});
    } catch (const core::OgcError& e) {
      throw WmsError("InvalidParameterValue", e.what(), "SLD_BODY");
    }
    const auto* map = styles.empty() ? nullptr : render::raster_color_map(&styles.front());
    if (!map) throw WmsError("InvalidParameterValue", "the SLD_BODY has no RasterSymbolizer ColorMap", "SLD_BODY");
    for (const auto& e : map->entries)
      row(e.label.empty() ? number(e.quantity) : e.label, e.colour.r, e.colour.g, e.colour.b, e.colour.opacity);
  } else {
    for (const auto& stop : render::raster_ramp())
      row(number(raster.min + stop.at * (raster.max - raster.min)), stop.colour.r, stop.colour.g, stop.colour.b, 1);
  }
  return std::make_shared<const render::Style>(std::move(legend));
}

void WmsService::get_legend_graphic(const http::Request& request, http::Response& response) {
  const std::string layer = required(request, "LAYER");
  auto collection = store_.collection(layer);
  if (collection && !core::is_map_layer(*collection)) collection.reset();
  std::shared_ptr<const render::Style> style;
  if (!collection) {
    auto raster = store_.raster(layer);
    if (!raster) throw WmsError("LayerNotDefined", "no layer '" + layer.substr(0, 80) + "'", "LAYER");
    style = raster_legend_style(*raster, request);
    collection = raster_collection(*raster);
    collection->geometry_type = "POLYGON";  // a swatch per colour
  } else {
    const std::string name = param(request, "STYLE").value_or("");
    style = styles_.find(*collection, name);
    if (!style)
      throw WmsError("StyleNotDefined", "layer '" + layer + "' has no style '" + name.substr(0, 80) + "'", "STYLE");
  }
  render::LegendRequest legend;
  legend.format = parse_format(param(request, "FORMAT").value_or("image/png"));
  legend.rule = param(request, "RULE").value_or("");
  auto size = [&](const char* key, int fallback) {
    const auto text = param(request, key);
    if (!text) return fallback;
    int v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || end != text->data() + text->size() || v < 1 || v > 512)
      throw WmsError("InvalidParameterValue", std::string(key) + " must be an integer from 1 to 512", key);
    return v;
  };
  legend.symbol_size = std::max(size("HEIGHT", 20), size("WIDTH", 20));
  if (auto t = param(request, "TRANSPARENT")) {
    if (upper(*t) != "TRUE" && upper(*t) != "FALSE")
      throw WmsError("InvalidParameterValue", "TRANSPARENT must be TRUE or FALSE", "TRANSPARENT");
    legend.transparent = upper(*t) == "TRUE";
  }
  try {
    response.send(200, render::media_type(legend.format), render::render_legend(*collection, *style, legend));
  } catch (const core::NotFound& e) {
    throw WmsError("InvalidParameterValue", e.what(), "RULE");
  }
}

}  // namespace amis::api::wms
