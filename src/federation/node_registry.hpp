#pragma once
// The national nodes the regional AMIS harvests, as `amis node ...` and the admin
// API see them: registered, listed, removed (their records leave the catalogue),
// harvested now, and the reports of their runs. One harvest of a node at a time
// in this process.
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/iso_schema.hpp"
#include "federation/node.hpp"
#include "federation/node_client.hpp"
#include "store/catalog_store.hpp"
#include "store/node_store.hpp"

namespace amis::federation {

struct FederationOptions {
  FetchLimits limits;
  std::int64_t first_retry_seconds = 60;  // after a failed run; doubled per failure, up to the node's schedule
};

class NodeRegistry {
 public:
  NodeRegistry(store::NodeStore& nodes, store::CatalogStore& catalog, catalog::IsoSchemaOnce& schema,
               HttpGetter& getter, FederationOptions options = {})
      : nodes_(nodes), catalog_(catalog), schema_(schema), getter_(getter), options_(options) {}

  // @throws core::InvalidValue (validate(Node)), core::Conflict for a name taken.
  Node add(Node node);
  std::vector<Node> nodes() { return nodes_.nodes(); }
  // @throws core::NotFound
  Node node(std::string_view name);
  // Changes what `settings` gives of a node's (a new schedule counts from now); its
  // records and reports stay. @throws core::NotFound, core::InvalidValue (validate(Node)).
  Node change(std::string_view name, NodeSettings settings);
  // Removes the node and withdraws its records; returns how many.
  // @throws core::NotFound
  std::int64_t remove(std::string_view name);

  // Harvests the node now and keeps the report (whatever the run's status).
  // @throws core::NotFound, core::Conflict when this node's harvest is running.
  HarvestRun harvest(std::string_view name);

  // @throws core::NotFound
  std::vector<HarvestRun> runs(std::string_view name, std::int64_t limit);

  // When the node's next scheduled run is due after a run ending with `status`.
  std::int64_t next_run_after(const Node& node, RunStatus status, std::int64_t failures, std::int64_t now) const;

 private:
  store::NodeStore& nodes_;
  store::CatalogStore& catalog_;
  catalog::IsoSchemaOnce& schema_;  // loaded by the first harvest
  HttpGetter& getter_;
  FederationOptions options_;
  std::mutex mutex_;
  std::set<std::string, std::less<>> running_;
};

}  // namespace amis::federation
