#pragma once
// Cascaded collections (issue 16): collections of national nodes that AMIS serves
// by reading through to the node at each request. The node stays authoritative;
// AMIS keeps what it read in a bounded cache for a while (CascadeCache), asks
// only the registered node (NodeClient: its origin only, no redirects elsewhere,
// a deadline and a size bound on every answer), and turns what goes wrong at the
// node into the protocol's own error: 504 when it does not answer in time, 502
// when it answers with an error or with what cannot be read; a request the node
// refuses (400) is the client's 400.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "core/feature_query.hpp"
#include "core/feature_sink.hpp"
#include "federation/cascade_cache.hpp"
#include "federation/node.hpp"
#include "federation/node_client.hpp"
#include "federation/publication.hpp"
#include "store/node_store.hpp"

namespace amis::federation {

struct CascadeOptions {
  FetchLimits limits{std::chrono::milliseconds(10000), 64u << 20, 0, std::chrono::milliseconds(0), 3};
  std::size_t cache_bytes = 64u << 20;
  std::chrono::milliseconds cache_ttl{60000};
  std::int64_t max_features = 10000;  // the most features one request reads from a node (a map's layer)
  std::int64_t page_size = 1000;      // features asked per request to the node
  std::chrono::milliseconds reload{2000};  // how stale the list of publications may be (other processes)
};

class Cascade {
 public:
  Cascade(store::NodeStore& nodes, HttpGetter& getter, CascadeOptions options = {});

  // The cascaded collection of that id (not a mirror: that one is in the store).
  std::optional<core::Collection> collection(std::string_view id);
  std::vector<core::Collection> collections();
  // A cascaded publication with its node.
  struct Source {
    core::Collection collection;  // its title, description and extent
    Node node;
    std::string source_id;  // the collection, feature type or layer's name at the node
    std::string published;  // RFC 3339
  };
  // A WMS layer of a node cascaded here: drawn by the node (WmsCascade), not read
  // as features, so it is no collection of the store, only a layer of AMIS's WMS.
  std::optional<Source> image_layer(std::string_view id);
  std::vector<Source> image_layers();
  // Every cascaded publication: read through (features) or drawn by the node (WMS).
  std::vector<Source> cascaded_sources();
  // The node a collection is published from (cascaded or mirrored); empty for none.
  std::string published_from(std::string_view id);
  // Reads the publications again now (after publishing or withdrawing one).
  void reload();
  // A cascaded collection changes at its node without AMIS knowing: its `updated` is the
  // start of the current cache window (RFC 3339, ms), so what is kept per collection
  // version (numberMatched of later pages, ETags) lasts no longer than the cached pages.
  std::string cache_window_start() const;

  // As store::Store's, for a cascaded collection.
  // @throws core::BadGateway, core::GatewayTimeout, core::InvalidParameter.
  std::int64_t features(const core::Collection& c, const core::FeatureQuery& q, core::FeatureSink& sink,
                        std::int64_t* matched);
  std::int64_t count(const core::Collection& c, const core::FeatureQuery& q);
  bool feature(const core::Collection& c, std::int64_t id, core::FeatureSink& sink);

  const CascadeCache& cache() const { return cache_; }

 private:
  struct Published {
    Publication publication;
    core::Collection collection;
    Node node;
    bool gml = false;  // a WFS node that sends GML pages (no GeoJSON)
  };
  using Snapshot = std::map<std::string, Published, std::less<>>;

  std::shared_ptr<const Snapshot> snapshot();
  const Published& cascaded(const Snapshot& s, std::string_view id) const;
  // The page at `url` (from the cache when fresh); nullptr when the node has no such feature (404).
  std::shared_ptr<const RemotePage> page(const Published& p, const NodeUrl& url, std::int64_t first_position,
                                         bool missing_is_null = false);
  std::int64_t push(const Published& p, const RemotePage& page, const core::FeatureQuery& q, core::FeatureSink& sink);

  store::NodeStore& nodes_;
  HttpGetter& getter_;
  CascadeOptions options_;
  CascadeCache cache_;
  std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::chrono::steady_clock::time_point loaded_{};
};

}  // namespace amis::federation
