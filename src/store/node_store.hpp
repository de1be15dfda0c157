#pragma once
// The registry of national nodes (issue 16) and what harvesting them leaves
// behind: per node, the digest of every record taken from it and the report of
// every run. The GeoPackage keeps them in amis_nodes, amis_harvested and
// amis_harvest_runs, PostGIS in tables of the same names.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "federation/node.hpp"
#include "federation/publication.hpp"

namespace amis::store {

class NodeStore {
 public:
  virtual ~NodeStore() = default;

  // @throws core::Conflict when a node of that name exists.
  virtual void add(const federation::Node& node) = 0;
  virtual std::vector<federation::Node> nodes() = 0;  // by name
  virtual std::optional<federation::Node> node(std::string_view name) = 0;
  // Removes the node, its harvest state and its reports; false when there was none.
  virtual bool remove(std::string_view name) = 0;
  // The scheduler's bookkeeping: when to harvest next, failed runs in a row.
  virtual void set_schedule_state(std::string_view name, std::int64_t next_run, std::int64_t failures) = 0;
  // Sets what `settings` gives of a registered node, in one statement (what it does not
  // give stays as it is, whatever a harvest wrote meanwhile). false when there is no such node.
  virtual bool set_settings(std::string_view name, const federation::NodeSettings& settings) = 0;

  // What was taken from the node (any order).
  virtual std::vector<federation::HarvestedEntry> harvested(std::string_view node) = 0;
  // Adds or replaces the entries `put` and removes those of `removed` source ids, in one transaction.
  virtual void save_harvested(std::string_view node, const std::vector<federation::HarvestedEntry>& put,
                              const std::vector<std::string>& removed) = 0;

  // The pages of the node's last complete harvest that came with validators (any order).
  virtual std::vector<federation::HarvestedPage> harvested_pages(std::string_view node) = 0;
  // Replaces the node's pages with `pages`, in one transaction.
  virtual void save_harvested_pages(std::string_view node, const std::vector<federation::HarvestedPage>& pages) = 0;

  // Keeps a run's report; returns its id.
  virtual std::int64_t add_run(const federation::HarvestRun& run) = 0;
  // The node's latest reports, newest first.
  virtual std::vector<federation::HarvestRun> runs(std::string_view node, std::int64_t limit) = 0;

  // The report of the node's latest sync of its change feed (amis_node_sync).
  virtual void save_sync_report(const federation::SyncReport& report) = 0;
  virtual std::optional<federation::SyncReport> sync_report(std::string_view node) = 0;

  // Collections of nodes published here (amis_publications), cascaded or mirrored.
  // @throws core::Conflict when a publication of that collection id exists.
  virtual void add_publication(const federation::Publication& publication) = 0;
  virtual std::vector<federation::Publication> publications() = 0;  // by collection id
  virtual std::optional<federation::Publication> publication(std::string_view collection) = 0;
  // Removes the publication and its mirror's digests; false when there was none.
  virtual bool remove_publication(std::string_view collection) = 0;
  // A mirror's copy ended: `synced` (empty: unchanged) and its error (empty: none).
  virtual void set_publication_state(std::string_view collection, const std::string& synced,
                                     const std::string& error) = 0;
  // What a mirror copied (amis_mirrored), any order.
  virtual std::vector<federation::MirroredFeature> mirrored(std::string_view collection) = 0;
  // Adds or replaces `put`, removes the `removed` source ids, in one transaction.
  virtual void save_mirrored(std::string_view collection, const std::vector<federation::MirroredFeature>& put,
                             const std::vector<std::string>& removed) = 0;
};

}  // namespace amis::store
