#pragma once
// The `amis` subcommands. Each returns the process exit code.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "federation/cascade.hpp"
#include "federation/node_registry.hpp"
#include "federation/node_sync.hpp"
#include "federation/publications.hpp"
#include "ingest/ogr_import.hpp"
#include "store/attribute_indexes.hpp"
#include "store/open_store.hpp"

namespace amis::cli {

// Where the store is: [store] url (or --store), with its pool size and folder.
inline store::StoreLocation store_location(const config::Config& config) {
  return {config.store_path, static_cast<std::size_t>(config.store_pool_size), config.data_dir,
          config.store_replicas, config.max_replica_lag_seconds};
}

int serve(const config::Config& config);
// Prints "METHOD /pattern" for every route `serve` would answer.
int list_routes(const config::Config& config);
// The attribute indexes a collection gets: amis.toml's and the editing country property.
store::IndexRules index_rules(const config::Config& config, const std::string& collection);
// A collection imported again by key (`amis import --key K --as ADMIN`).
struct KeyedImport {
  std::string key;      // the property that names a feature in the file and the collection
  std::string as_user;  // the administrator the change set is published as
};
int import_file(const config::Config& config, const ingest::ImportOptions& options,
                const std::optional<KeyedImport>& keyed);
int export_collection(const store::StoreLocation& where, const std::string& collection,
                      const std::string& format, const std::string& path);
int list_collections(const store::StoreLocation& where);

struct StyleCommand {
  std::string action;  // add, list, show, remove
  std::string collection;
  std::string name;
  std::string file;  // the SLD document (add)
};
int style_command(const config::Config& config, const StyleCommand& command);

struct RasterCommand {
  std::string file;
  std::string id;
  std::string title;
  std::string description;
  std::string attribution;
  std::string licence;
  std::vector<std::string> band_names;  // empty: the file's (or band1, band2, ...)
  std::vector<std::string> units;
  std::vector<std::string> band_descriptions;
  // The member state whose editors replace the grid (ISO 3166 alpha-3);
  // nullopt: the coverage's stored one when it is replaced, else none (regional).
  std::optional<std::string> country;
};
int raster_command(const config::Config& config, const RasterCommand& command);

struct AccountCommand {
  std::string action;  // "user add", "user list", ..., "token create", ...
  std::string name;    // the user
  std::string role;
  std::string country;
  std::string label;
  std::int64_t token_id = 0;
};
int account_command(const config::Config& config, const AccountCommand& command);

// `amis catalog import FILE|DIR...`: ISO 19139 documents into the catalogue.
struct CatalogImport {
  std::vector<std::string> sources;
  unsigned threads = 0;  // 0: one per processor
};
// Exit code 2 when some documents were refused (the valid ones are imported).
int catalog_import(const config::Config& config, const CatalogImport& command);

// `amis workplan load FILE | import-appendix CSV [--plan ID] | appendix-template | list` (issue 19).
struct WorkPlanCommand {
  std::string action;  // load, import-appendix, appendix-template, list, forget-evidence
  std::string file;
  std::string plan;
  int days = -1;  // forget-evidence: -1 for [workplan] evidence_retention_days
};
int workplan_command(const config::Config& config, const WorkPlanCommand& command);
// `amis store copy FROM TO [--replace]`: a whole store into another, either backend.
struct StoreCopy {
  std::string from;
  std::string to;
  bool replace = false;  // replace everything in a target that is not empty
};
// Exit code 1 when the target is not empty (without --replace) or is the source.
int store_copy(const config::Config& config, const StoreCopy& command);
// `amis node ...`: the national nodes harvested into the catalogue (issue 16).
struct NodeCommand {
  std::string action;  // add, list, show, runs, remove, harvest, publish, published, unpublish, sync
  std::string name;
  std::string source_id;   // publish: the collection or feature type at the node
  std::string collection;  // publish, unpublish, sync: the AMIS collection id
  std::string mode = "cascade";
  std::string url;
  std::string kind;
  std::string country;
  std::string schedule = "6h";
  std::string rate = "off";
  std::string token;
  // set: what changes (unset: stays)
  std::optional<std::string> new_schedule;
  std::optional<std::string> new_rate;
  std::optional<std::string> new_token;
  std::int64_t skip = 0;  // sync: the sequence the node's sync stopped at, passed over first
  bool resume = false;    // sync: the same as a sync (it starts where the last stopped); said for the record
};
// Exit code 2 when a harvest did not fully succeed (its report says why).
int node_command(const config::Config& config, const NodeCommand& command);

// The harvester's bounds from [federation] (timeouts, sizes, retries).
inline federation::FederationOptions federation_options(const config::Config& config) {
  federation::FederationOptions options;
  options.limits.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(config.federation.timeout_seconds * 1000));
  options.limits.max_bytes = static_cast<std::size_t>(config.federation.max_document_mb) << 20;
  options.limits.retries = config.federation.retries;
  options.limits.backoff = std::chrono::milliseconds(static_cast<std::int64_t>(config.federation.backoff_seconds * 1000));
  options.limits.pace_within = std::chrono::minutes(15);  // in the background: a slow node's rate is waited for
  options.first_retry_seconds = config.federation.first_retry_seconds;
  return options;
}

// The cascade's bounds from [federation]: one attempt per request (a client waits).
inline federation::CascadeOptions cascade_options(const config::Config& config) {
  federation::CascadeOptions options;
  const auto& f = config.federation;
  options.limits.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(f.cascade_timeout_seconds * 1000));
  options.limits.max_bytes = static_cast<std::size_t>(f.max_document_mb) << 20;
  options.limits.retries = 0;
  options.cache_bytes = static_cast<std::size_t>(f.cascade_cache_mb) << 20;
  options.cache_ttl = std::chrono::milliseconds(static_cast<std::int64_t>(f.cascade_cache_ttl_seconds * 1000));
  options.max_features = f.cascade_max_features;
  return options;
}

// Publishing (a mirror's copies) reads as harvests do, with their retries.
inline federation::PublishOptions publish_options(const config::Config& config) {
  federation::PublishOptions options;
  options.limits = federation_options(config).limits;
  return options;
}

// A sync of an AMIS node's change feed reads as harvests do, with their retries.
inline federation::SyncOptions sync_options(const config::Config& config) {
  federation::SyncOptions options;
  options.limits = federation_options(config).limits;
  return options;
}

}  // namespace amis::cli
