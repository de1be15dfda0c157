#include "api/wms/wms_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/crs.hpp"
#include "core/error.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/xml_text.hpp"
#include "render/map_renderer.hpp"

namespace amis::api::wms {
namespace {

using encode::append_xml_text;

// A WMS error: a ServiceException code (empty for none) and the parameter.
struct WmsError : core::OgcError {
  WmsError(const std::string& code, const std::string& message, const std::string& locator)
      : core::OgcError(400, code, message, locator) {}
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// KVP parameter by case-insensitive name.
std::optional<std::string> param(const http::Request& request, std::string_view name) {
  for (const auto& [k, v] : request.query)
    if (upper(k) == name) return v;
  return std::nullopt;
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

std::string number(double v) {
  std::string out;
  encode::append_xml_number(out, v);
  return out;
}

// The CRS codes each layer lists (WMS 1.3 spelling).
std::vector<std::string> crs_names(bool v130) {
  std::vector<std::string> names = {v130 ? "CRS:84" : "EPSG:4326"};
  for (const auto& crs : core::advertised_crs())
    if (!crs.is_crs84() && (v130 || crs.epsg != 4326)) names.push_back("EPSG:" + std::to_string(crs.epsg));
  return names;
}

// CRS=CRS:84 | EPSG:n. `east_north`: the BBOX gives easting/longitude first.
struct MapCrs {
  core::Crs crs;
  bool swap_bbox = false;  // the BBOX is given north first (WMS 1.3, EPSG:4326 and the like)
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

render::ImageFormat parse_format(const std::string& text) {
  std::string f;
  for (char c : text) if (c != ' ') f += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (f == "image/png" || f == "png" || f == "image/png32") return render::ImageFormat::Png32;
  if (f == "image/png;mode=8bit" || f == "image/png8" || f == "png8") return render::ImageFormat::Png8;
  if (f == "image/jpeg" || f == "jpeg" || f == "image/jpg") return render::ImageFormat::Jpeg;
  if (f == "image/webp" || f == "webp") return render::ImageFormat::Webp;
  throw WmsError("InvalidFormat", "the format '" + text.substr(0, 60) + "' is not offered", "FORMAT");
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
  try {
    if (auto service = param(request, "SERVICE"); service && upper(*service) != "WMS")
      throw WmsError("InvalidParameterValue", "SERVICE must be WMS", "SERVICE");
    const std::string op = required(request, "REQUEST");
    if (op == "GetCapabilities" || op == "capabilities") return get_capabilities(v130, request, response);
    if (op == "GetMap" || op == "map") return get_map(v130, request, response);
    throw WmsError("OperationNotSupported", "the operation '" + op.substr(0, 60) + "' is not offered", "REQUEST");
  } catch (const core::OgcError& e) {
    if (response.started()) throw;
    response.discard_unsent();
    if (e.status() >= 500) {
      spdlog::error("{} {}: {}", request.method, request.path, e.what());
      const WmsError hidden("", "the server could not complete the request", "");
      return response.send(500, v130 ? "text/xml" : "application/vnd.ogc.se_xml", exception_report(hidden, v130));
    }
    response.send(e.status() >= 400 ? e.status() : 400, v130 ? "text/xml" : "application/vnd.ogc.se_xml",
                  exception_report(e, v130));
  }
}

void WmsService::get_capabilities(bool v130, const http::Request& request, http::Response& response) {
  const std::string url = base_url(request) + "/wms";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (v130)
    out += "<WMS_Capabilities version=\"1.3.0\" xmlns=\"http://www.opengis.net/wms\""
           " xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
           " xsi:schemaLocation=\"http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd\">";
  else
    out += "<WMT_MS_Capabilities version=\"1.1.1\">";
  out += "<Service><Name>" + std::string(v130 ? "WMS" : "OGC:WMS") + "</Name><Title>";
  append_xml_text(out, settings_.title);
  out += "</Title><Abstract>";
  append_xml_text(out, settings_.description);
  out += "</Abstract><OnlineResource xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:type=\"simple\" xlink:href=\"";
  append_xml_text(out, url);
  out += "\"/><Fees>none</Fees><AccessConstraints>none</AccessConstraints>";
  if (v130)
    out += "<MaxWidth>" + std::to_string(settings_.max_width) + "</MaxWidth><MaxHeight>" +
           std::to_string(settings_.max_height) + "</MaxHeight>";
  out += "</Service><Capability><Request>";
  std::string dcp = "<DCPType><HTTP><Get><OnlineResource xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:type=\"simple\" xlink:href=\"";
  append_xml_text(dcp, url + "?");
  dcp += "\"/></Get></HTTP></DCPType>";
  out += "<GetCapabilities><Format>" + std::string(v130 ? "text/xml" : "application/vnd.ogc.wms_xml") +
         "</Format>" + dcp + "</GetCapabilities>";
  out += "<GetMap><Format>image/png</Format><Format>image/png; mode=8bit</Format><Format>image/jpeg</Format>"
         "<Format>image/webp</Format>" + dcp + "</GetMap></Request>";
  out += v130 ? "<Exception><Format>XML</Format></Exception>"
              : "<Exception><Format>application/vnd.ogc.se_xml</Format></Exception>";
  out += "<Layer><Title>";
  append_xml_text(out, settings_.title);
  out += "</Title>";
  const char* crs_element = v130 ? "CRS" : "SRS";
  for (const auto& name : crs_names(v130)) out += std::string("<") + crs_element + ">" + name + "</" + crs_element + ">";
  auto geographic_box = [&](const core::Envelope& e) {
    if (v130)
      return "<EX_GeographicBoundingBox><westBoundLongitude>" + number(e.min_x) + "</westBoundLongitude><eastBoundLongitude>" +
             number(e.max_x) + "</eastBoundLongitude><southBoundLatitude>" + number(e.min_y) +
             "</southBoundLatitude><northBoundLatitude>" + number(e.max_y) + "</northBoundLatitude></EX_GeographicBoundingBox>"
             "<BoundingBox CRS=\"CRS:84\" minx=\"" + number(e.min_x) + "\" miny=\"" + number(e.min_y) + "\" maxx=\"" +
             number(e.max_x) + "\" maxy=\"" + number(e.max_y) + "\"/>"
             "<BoundingBox CRS=\"EPSG:4326\" minx=\"" + number(e.min_y) + "\" miny=\"" + number(e.min_x) + "\" maxx=\"" +
             number(e.max_y) + "\" maxy=\"" + number(e.max_x) + "\"/>";
    return "<LatLonBoundingBox minx=\"" + number(e.min_x) + "\" miny=\"" + number(e.min_y) + "\" maxx=\"" +
           number(e.max_x) + "\" maxy=\"" + number(e.max_y) + "\"/>";
  };
  const auto collections = store_.collections();
  core::Envelope all{180, 90, -180, -90};
  for (const auto& c : collections)
    if (c.extent && !c.extent->empty())
      all = {std::min(all.min_x, c.extent->min_x), std::min(all.min_y, c.extent->min_y),
             std::max(all.max_x, c.extent->max_x), std::max(all.max_y, c.extent->max_y)};
  if (all.min_x <= all.max_x) out += geographic_box(all);
  for (const auto& c : collections) {
    out += "<Layer queryable=\"0\"><Name>";
    append_xml_text(out, c.id);
    out += "</Name><Title>";
    append_xml_text(out, c.title.empty() ? c.id : c.title);
    out += "</Title>";
    if (!c.description.empty()) {
      out += "<Abstract>";
      append_xml_text(out, c.description);
      out += "</Abstract>";
    }
    if (!c.keywords.empty()) {
      out += "<KeywordList>";
      for (const auto& k : c.keywords) {
        out += "<Keyword>";
        append_xml_text(out, k);
        out += "</Keyword>";
      }
      out += "</KeywordList>";
    }
    if (c.extent && !c.extent->empty()) out += geographic_box(*c.extent);
    if (!c.attribution.empty()) {
      out += "<Attribution><Title>";
      append_xml_text(out, c.attribution);
      out += "</Title></Attribution>";
    }
    out += "<Style><Name>default</Name><Title>Default style</Title></Style></Layer>";
  }
  out += "</Layer></Capability>";
  out += v130 ? "</WMS_Capabilities>\n" : "</WMT_MS_Capabilities>\n";
  response.send(200, v130 ? "text/xml" : "application/vnd.ogc.wms_xml", std::move(out));
}

void WmsService::get_map(bool v130, const http::Request& request, http::Response& response) {
  render::MapRequest map;
  // Size first: a request too large is refused before anything is read or allocated.
  map.width = dimension(request, "WIDTH", settings_.max_width);
  map.height = dimension(request, "HEIGHT", settings_.max_height);
  const auto layers = split(required(request, "LAYERS"));
  const auto styles = split(param(request, "STYLES").value_or(""));
  if (styles.size() > 1 && styles.size() != layers.size())
    throw WmsError("StyleNotDefined", "STYLES must name one style per layer (or be empty)", "STYLES");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    auto c = store_.collection(layers[i]);
    if (!c) throw WmsError("LayerNotDefined", "no layer '" + layers[i].substr(0, 80) + "'", "LAYERS");
    const std::string style = styles.size() > i ? styles[i] : "";
    if (!style.empty() && style != "default")
      throw WmsError("StyleNotDefined", "layer '" + c->id + "' has no style '" + style.substr(0, 80) + "'", "STYLES");
    map.layers.push_back(std::move(*c));
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
  map.format = parse_format(required(request, "FORMAT"));
  const auto transparent = upper(param(request, "TRANSPARENT").value_or("FALSE"));
  if (transparent != "TRUE" && transparent != "FALSE")
    throw WmsError("InvalidParameterValue", "TRANSPARENT must be TRUE or FALSE", "TRANSPARENT");
  map.transparent = transparent == "TRUE";
  if (auto bg = param(request, "BGCOLOR")) map.background = parse_bgcolor(*bg);
  if (auto exceptions = param(request, "EXCEPTIONS")) {
    const auto e = upper(*exceptions);
    if (e != "XML" && e != "APPLICATION/VND.OGC.SE_XML")
      throw WmsError("InvalidParameterValue", "EXCEPTIONS=" + exceptions->substr(0, 40) + " is not offered (XML)",
                     "EXCEPTIONS");
  }
  std::string image = render::render_map(store_, map);
  response.send(200, render::media_type(map.format), std::move(image));
}

}  // namespace amis::api::wms
