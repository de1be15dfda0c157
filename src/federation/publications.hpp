#pragma once
// Publishing a node's collection as an AMIS collection (issue 16): what
// `amis node publish` and the admin API call. A cascaded collection is read
// through to the node (Cascade); a mirrored one is copied into the store and kept
// current on the node's schedule by change sets authored by the node ("node:NAME"),
// so only changed features are rewritten and every copy keeps its history; people
// cannot edit a mirror (EditingRules::published_from: 409).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "federation/node_client.hpp"
#include "federation/publication.hpp"
#include "store/change_sets.hpp"
#include "store/node_store.hpp"
#include "store/store.hpp"

namespace amis::federation {

// What one copy of a mirror did.
struct MirrorReport {
  std::string collection;
  std::string node;
  std::int64_t seen = 0;
  std::int64_t added = 0;
  std::int64_t updated = 0;
  std::int64_t deleted = 0;
  std::int64_t unchanged = 0;
  std::int64_t change_set = 0;  // 0: nothing changed, nothing written
  std::string error;            // the copy failed (nothing written)
  double seconds = 0;
};

struct PublishOptions {
  FetchLimits limits;
  std::int64_t page_size = 1000;
  std::int64_t max_mirror_features = 200000;  // a mirror of more is refused (cascade it)
};

class Publications {
 public:
  Publications(store::NodeStore& nodes, store::Store& store, store::ChangeSetStore& change_sets, HttpGetter& getter,
               PublishOptions options = {})
      : nodes_(nodes), store_(store), change_sets_(change_sets), getter_(getter), options_(options) {}

  // Called after a publication is added or withdrawn (the Cascade reloads).
  void on_change(std::function<void()> changed) { changed_ = std::move(changed); }

  // Publishes `source_id` of `node` as collection `collection`; a mirror is copied now.
  // @throws core::NotFound (node, source), core::InvalidValue (a node of another kind,
  // an invalid id), core::Conflict (the id taken), core::BadGateway/GatewayTimeout
  // (the node cannot be read).
  Publication publish(const std::string& node, const std::string& source_id, const std::string& collection,
                      PublishMode mode);
  std::vector<Publication> list() { return nodes_.publications(); }
  // @throws core::NotFound
  Publication get(const std::string& collection);
  // Withdraws the publication (a mirror's copy leaves the store). @throws core::NotFound
  void withdraw(const std::string& collection);

  // Copies a mirror again: only what changed at the node is written.
  // @throws core::NotFound, core::InvalidValue for a cascaded collection.
  MirrorReport sync(const std::string& collection);
  // Every mirror of the node (after its scheduled harvest).
  std::vector<MirrorReport> sync_node(const std::string& node);

 private:
  // `gml`: set for a WFS node read in GML (it sends no GeoJSON).
  core::Collection describe(const Node& node, const std::string& source_id, bool& gml);

  store::NodeStore& nodes_;
  store::Store& store_;
  store::ChangeSetStore& change_sets_;
  HttpGetter& getter_;
  PublishOptions options_;
  std::function<void()> changed_;
};

nlohmann::json mirror_report_json(const MirrorReport& report);
nlohmann::json publication_json(const Publication& publication);

}  // namespace amis::federation
