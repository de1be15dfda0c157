// Layers of national nodes' WMS cascaded into AMIS's WMS (issue 16): listed in
// the capabilities, drawn by their node for GetMap (WmsCascade) and composed with
// AMIS's own layers in LAYERS order, and answered by their node for GetFeatureInfo.
#include <algorithm>

#include "api/wms/wms_service.hpp"

namespace amis::api::wms {

CascadedLayerLookup WmsService::cascaded_lookup() {
  if (!cascade_) return {};
  return [this](std::string_view name) { return cascade_->layer(name); };
}

bool WmsService::cascaded_style(const core::Collection& layer, const std::string& name,
                                std::vector<std::shared_ptr<const render::Style>>& styles) {
  if (layer.geometry_type != kCascadedType) return false;
  if (!name.empty() && name != "default")
    throw WmsError("StyleNotDefined",
                   "layer '" + layer.id + "' is drawn by its national node: it has only the default style", "STYLES");
  styles.push_back(nullptr);
  return true;
}

// The bottom layer of an opaque map is asked on the map's background, so that its
// pixels are the node's own; every other one transparent, to be drawn over what is below.
void WmsService::add_cascaded_images(render::MapRequest& map) {
  for (std::size_t i = 0; i < map.layers.size(); ++i) {
    if (map.layers[i].geometry_type != kCascadedType) continue;
    if (i < map.images.size() && map.images[i]) continue;  // already asked (send_cascaded_alone)
    if (!cascade_) throw core::NotFound("layer '" + map.layers[i].id + "' is no longer published");
    map.images.resize(map.layers.size());
    map.images[i] = cascade_->map(map.layers[i].id, map, i == 0 && !map.transparent);
  }
}

// A PNG map of one cascaded layer is the node's own PNG: it was asked of the same box, size,
// CRS and background (or transparent), so its pixels are the map's, without decoding them,
// composing them and encoding them again (a warm map costs a copy). Not when an opaque map
// was asked and the node's image has transparent pixels anyway (drawn on the background
// here), nor when what it sent is no PNG: its pixels are then kept in `map` to be composed,
// so the node is not asked twice (a cascade without a cache keeps nothing).
bool WmsService::send_cascaded_alone(render::MapRequest& map, http::Response& response) {
  if (!cascade_ || map.layers.size() != 1 || map.layers[0].geometry_type != kCascadedType ||
      map.format != render::ImageFormat::Png32)
    return false;
  const auto image = cascade_->image(map.layers[0].id, map, !map.transparent);
  if (image->png && (map.transparent || image->opaque)) {
    response.send(200, render::media_type(map.format), image->encoded);
    return true;
  }
  map.images.assign(1, std::shared_ptr<const std::vector<std::uint8_t>>(image, &image->rgba));
  return false;
}

void WmsService::add_cascaded_capabilities(std::vector<CapabilitiesLayer>& layers) {
  if (!cascade_) return;
  for (auto& c : cascade_->layers()) {
    if (std::any_of(layers.begin(), layers.end(), [&](const auto& l) { return l.collection.id == c.id; })) continue;
    CapabilitiesLayer layer{std::move(c), {{"default", "The national node's style", "", 0, 0}}};
    layer.queryable = true;  // GetFeatureInfo is the node's
    layers.push_back(std::move(layer));
  }
}

bool WmsService::cascaded_feature_info(const render::MapRequest& map, const std::vector<std::string>& query_layers,
                                       int i, int j, const std::string& format, int count,
                                       http::Response& response) {
  std::size_t cascaded = 0;
  for (const auto& name : query_layers)
    for (const auto& l : map.layers)
      if (l.id == name && l.geometry_type == kCascadedType) ++cascaded;
  if (cascaded == 0) return false;
  if (query_layers.size() != 1 || !cascade_)
    throw WmsError("LayerNotQueryable",
                   "a layer cascaded from a national node is answered by its node: query it alone in QUERY_LAYERS",
                   "QUERY_LAYERS");
  auto answer = cascade_->feature_info(query_layers.front(), map, i, j, format, count);
  response.send(200, answer.media_type, std::move(answer.body));
  return true;
}

}  // namespace amis::api::wms
