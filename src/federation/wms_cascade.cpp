#include "federation/wms_cascade.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdio>

#include "core/error.hpp"
#include "http/request.hpp"  // percent_encode
#include "render/map_image.hpp"

namespace amis::federation {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

NodeUrl wms_request_url(const Node& node, const std::string& query) {
  const NodeUrl base = parse_node_url(node.url);
  std::string own;
  if (const auto q = base.target.find('?'); q != std::string::npos) {
    std::string_view rest = std::string_view(base.target).substr(q + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const auto pair = rest.substr(0, amp);
      const auto key = lower(pair.substr(0, pair.find('=')));
      if (!pair.empty() && key != "service" && key != "request" && key != "version") {
        own += pair;
        own += '&';
      }
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
  }
  return with_path(base, "", own + query);
}

namespace {

// GetMap's (and GetFeatureInfo's) map parameters in WMS 1.1.1.
std::string map_parameters(const std::string& layer, const render::MapRequest& map, bool opaque) {
  const auto& b = map.bbox;
  char colour[16];
  std::snprintf(colour, sizeof colour, "0x%02X%02X%02X", map.background.r, map.background.g, map.background.b);
  return "SERVICE=WMS&VERSION=1.1.1&LAYERS=" + http::percent_encode(layer) + "&STYLES=&SRS=" +
         (map.crs.is_crs84() ? std::string("EPSG:4326") : "EPSG:" + std::to_string(map.crs.epsg)) + "&BBOX=" +
         number(b.min_x) + "," + number(b.min_y) + "," + number(b.max_x) + "," + number(b.max_y) +
         "&WIDTH=" + std::to_string(map.width) + "&HEIGHT=" + std::to_string(map.height) +
         "&FORMAT=image%2Fpng&TRANSPARENT=" + (opaque ? "FALSE" : "TRUE") + "&BGCOLOR=" + colour +
         "&EXCEPTIONS=application%2Fvnd.ogc.se_xml";
}

bool exception_report(std::string_view media_type, std::string_view body) {
  return media_type.find("xml") != std::string_view::npos &&
         body.substr(0, 4096).find("ServiceException") != std::string_view::npos;
}

// What the node sent instead of what was asked, in words for the client (no address, none of its text).
[[noreturn]] void wrong_answer(const Node& node, const Fetched& f, std::string_view wanted) {
  const std::string type = lower(f.content_type.substr(0, f.content_type.find(';')));
  std::string what;
  if (exception_report(type, f.body))
    what = "answered with a WMS ServiceException";
  else if (type == "text/html" || f.body.substr(0, 200).find("<html") != std::string::npos)
    what = "answered with an HTML page";
  else
    what = "answered with '" + type.substr(0, 60) + "'";
  throw core::BadGateway("the national node '" + node.name + "' " + what + " instead of " + std::string(wanted));
}

}  // namespace

std::optional<core::Collection> WmsCascade::layer(std::string_view id) {
  auto l = cascade_.image_layer(id);
  if (!l) return std::nullopt;
  return std::move(l->collection);
}

std::vector<core::Collection> WmsCascade::layers() {
  std::vector<core::Collection> out;
  for (auto& l : cascade_.image_layers()) out.push_back(std::move(l.collection));
  return out;
}

Fetched WmsCascade::fetch(const Cascade::Source& layer, const NodeUrl& url, std::string_view accept) {
  NodeClient client(layer.node, getter_, options_.limits);
  try {
    return client.fetch(url, accept);
  } catch (const FetchFailed& e) {
    spdlog::warn("cascade: layer '{}' from node '{}': {}", layer.collection.id, layer.node.name, e.what());
    if (e.timed_out())
      throw core::GatewayTimeout("the national node '" + layer.node.name + "' did not answer in time");
    throw core::BadGateway("the national node '" + layer.node.name + "' could not be read: " + e.what());
  }
}

std::shared_ptr<const std::vector<std::uint8_t>> WmsCascade::map(std::string_view id, const render::MapRequest& map,
                                                                 bool opaque) {
  auto kept = image(id, map, opaque);
  return {kept, &kept->rgba};
}

std::shared_ptr<const NodeImage> WmsCascade::image(std::string_view id, const render::MapRequest& map, bool opaque) {
  const auto layer = cascade_.image_layer(id);
  if (!layer) throw core::NotFound("layer '" + std::string(id.substr(0, 64)) + "' is no longer published");
  const NodeUrl url = wms_request_url(layer->node, "REQUEST=GetMap&" + map_parameters(layer->source_id, map, opaque));
  const std::string key = layer->collection.id + "\n" + url.text();
  if (auto hit = cache_.find(key)) return hit;
  Fetched f = fetch(*layer, url, "image/png, image/jpeg");
  const std::string type = lower(f.content_type.substr(0, f.content_type.find(';')));
  if (type != "image/png" && type != "image/jpeg") wrong_answer(layer->node, f, "a map image");
  auto made = std::make_shared<NodeImage>();
  try {
    made->rgba = render::decode_map_image(f.body, map.width, map.height);
  } catch (const core::OgcError& e) {
    spdlog::warn("cascade: layer '{}' from node '{}': {}", layer->collection.id, layer->node.name, e.what());
    throw core::BadGateway("the national node '" + layer->node.name + "' sent a map that cannot be read: " + e.what());
  }
  made->png = f.body.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8));
  made->opaque = true;
  for (std::size_t i = 3; i < made->rgba.size() && made->opaque; i += 4) made->opaque = made->rgba[i] == 255;
  made->encoded = std::move(f.body);
  made->bytes = made->rgba.size() + made->encoded.size();
  std::shared_ptr<const NodeImage> kept = std::move(made);
  cache_.put(key, kept);
  return kept;
}

NodeAnswer WmsCascade::feature_info(std::string_view id, const render::MapRequest& map, int i, int j,
                                    std::string_view info_format, int count) {
  const auto layer = cascade_.image_layer(id);
  if (!layer) throw core::NotFound("layer '" + std::string(id.substr(0, 64)) + "' is no longer published");
  const NodeUrl url = wms_request_url(
      layer->node, "REQUEST=GetFeatureInfo&" + map_parameters(layer->source_id, map, true) +
                       "&QUERY_LAYERS=" + http::percent_encode(layer->source_id) + "&INFO_FORMAT=" +
                       http::percent_encode(info_format) + "&FEATURE_COUNT=" + std::to_string(count) +
                       "&X=" + std::to_string(i) + "&Y=" + std::to_string(j));
  Fetched f = fetch(*layer, url, info_format);
  const std::string type = lower(f.content_type.substr(0, f.content_type.find(';')));
  if (type != lower(info_format) || exception_report(type, f.body)) wrong_answer(layer->node, f, std::string(info_format));
  return {f.content_type, std::move(f.body)};
}

}  // namespace amis::federation
