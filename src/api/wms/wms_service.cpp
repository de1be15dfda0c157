#include "api/wms/wms_service.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdio>

#include "api/wms/wms_capabilities.hpp"
#include "core/error.hpp"
#include "encode/xml_text.hpp"
#include "render/map_renderer.hpp"

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

std::string WmsService::base_url(const http::Request& request) const {
  if (!settings_.base_url.empty()) return settings_.base_url;
  const auto host = request.header("host");
  return "http://" + std::string(host.empty() ? "localhost" : host);
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
  } catch (const core::OgcError& e) {
    if (response.started()) throw;
    response.discard_unsent();
    if (e.status() >= 500) {
      spdlog::error("{} {}: {}", request.method, request.path, e.what());
      const WmsError hidden("", "the server could not complete the request", "");
      return response.send(500, v130 ? "text/xml" : "application/vnd.ogc.se_xml", exception_report(hidden, v130));
    }
    const int status = e.status() >= 400 ? e.status() : 400;
    // GetMap errors as an image when the client asked for that (WMS 1.3.0, 7.3.3.11).
    ExceptionMode mode = ExceptionMode::Xml;
    try {
      if (get_map_request) mode = parse_exceptions(request);
    } catch (const core::OgcError&) {
    }
    if (mode != ExceptionMode::Xml) {
      const auto image = error_image_request(request, limits());
      return response.send(status, render::media_type(image.format),
                           mode == ExceptionMode::InImage ? render::render_message(image, e.what())
                                                          : render::render_message(image, ""));
    }
    response.send(status, v130 ? "text/xml" : "application/vnd.ogc.se_xml", exception_report(e, v130));
  }
}

void WmsService::get_capabilities(bool v130, const http::Request& request, http::Response& response) {
  CapabilitiesInfo info{base_url(request) + "/wms", settings_.title, settings_.description, settings_.max_width,
                        settings_.max_height};
  std::vector<CapabilitiesLayer> layers;
  for (auto& c : store_.collections()) {
    CapabilitiesLayer layer{c, {}};
    for (auto& s : styles_.list(c)) layer.styles.push_back({s.name, s.title, s.abstract});
    layers.push_back(std::move(layer));
  }
  response.send(200, v130 ? "text/xml" : "application/vnd.ogc.wms_xml", capabilities_document(v130, info, layers));
}

render::MapRequest WmsService::map_request(bool v130, const http::Request& request, bool format_required) {
  std::vector<std::string> names;
  render::MapRequest map = parse_map_request(v130, request, store_, limits(), names, format_required);
  for (std::size_t i = 0; i < map.layers.size(); ++i) {
    auto style = styles_.find(map.layers[i], names[i], i);
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
  std::string image = render::render_map(store_, map);
  response.send(200, render::media_type(map.format), std::move(image));
}

void WmsService::get_legend_graphic(const http::Request& request, http::Response& response) {
  const std::string layer = required(request, "LAYER");
  auto collection = store_.collection(layer);
  if (!collection) throw WmsError("LayerNotDefined", "no layer '" + layer.substr(0, 80) + "'", "LAYER");
  const std::string name = param(request, "STYLE").value_or("");
  auto style = styles_.find(*collection, name);
  if (!style)
    throw WmsError("StyleNotDefined", "layer '" + layer + "' has no style '" + name.substr(0, 80) + "'", "STYLE");
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
  if (auto t = param(request, "TRANSPARENT")) legend.transparent = upper(*t) != "FALSE";
  try {
    response.send(200, render::media_type(legend.format), render::render_legend(*collection, *style, legend));
  } catch (const core::NotFound& e) {
    throw WmsError("InvalidParameterValue", e.what(), "RULE");
  }
}

}  // namespace amis::api::wms
