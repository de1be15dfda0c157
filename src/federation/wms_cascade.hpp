#pragma once
// WMS layers of national nodes cascaded here (issue 16): AMIS's GetMap asks the
// node for the layer's map of the same box, size and CRS (WMS 1.1.1, whose BBOX
// is always x,y), reads the image into pixels and composes it with its own layers;
// GetFeatureInfo is the node's answer for the same pixel. Only the registered
// node is asked (NodeClient), with a deadline and a size bound; images are kept in
// a bounded cache for the cascade's TTL. What goes wrong at the node is AMIS's
// error: 504 when it does not answer in time, 502 when it answers with a
// ServiceException, an HTML page, another media type or an image that cannot be read.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "federation/cascade.hpp"
#include "render/map_renderer.hpp"

namespace amis::federation {

// A request to a WMS node: its URL with its own parameters kept (MapServer's
// map=...), less SERVICE, REQUEST and VERSION, and `query` after them.
NodeUrl wms_request_url(const Node& node, const std::string& query);

// A node's map: its pixels (RGBA, not premultiplied), the image as the node sent it
// (a map of that layer alone is answered with it), and their size for the cache.
struct NodeImage {
  std::vector<std::uint8_t> rgba;
  std::string encoded;
  bool png = false;     // `encoded` is a PNG (by its signature, whatever the node's Content-Type said)
  bool opaque = false;  // every pixel's alpha is 255
  std::size_t bytes = 0;
};

// What the node answered to GetFeatureInfo.
struct NodeAnswer {
  std::string media_type;
  std::string body;
};

class WmsCascade {
 public:
  WmsCascade(Cascade& cascade, HttpGetter& getter, CascadeOptions options = {})
      : cascade_(cascade), getter_(getter), options_(options), cache_(options.cache_bytes, options.cache_ttl) {}

  // The cascaded layer of that id (its title, description and extent); nullopt for none.
  std::optional<core::Collection> layer(std::string_view id);
  std::vector<core::Collection> layers();

  // The node's map of the layer for `map`'s box, CRS and size. `opaque`: on the map's
  // background (the bottom layer of an opaque map, so the pixels are the node's own);
  // otherwise transparent, to be drawn over what is below.
  // @throws core::NotFound (no such layer), core::BadGateway, core::GatewayTimeout.
  std::shared_ptr<const std::vector<std::uint8_t>> map(std::string_view id, const render::MapRequest& map,
                                                       bool opaque);
  // The same map, with the image as the node sent it (read and checked as for map()).
  // @throws as map().
  std::shared_ptr<const NodeImage> image(std::string_view id, const render::MapRequest& map, bool opaque);

  // The node's GetFeatureInfo for pixel (i, j) of `map` in `info_format`, at most `count` features.
  // @throws as map().
  NodeAnswer feature_info(std::string_view id, const render::MapRequest& map, int i, int j,
                          std::string_view info_format, int count);

  const BoundedCache<NodeImage>& cache() const { return cache_; }

 private:
  Fetched fetch(const Cascade::Source& layer, const NodeUrl& url, std::string_view accept);

  Cascade& cascade_;
  HttpGetter& getter_;
  CascadeOptions options_;
  BoundedCache<NodeImage> cache_;
};

}  // namespace amis::federation
