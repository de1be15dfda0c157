#pragma once
// Nodes and run reports as JSON, as the admin API and `amis node` show them. A
// node's token never appears: only whether it has one.
#include <optional>

#include <nlohmann/json.hpp>

#include "federation/node.hpp"

namespace amis::federation {

nlohmann::json node_json(const Node& node);
nlohmann::json run_json(const HarvestRun& run);
// The latest sync of an AMIS node's change feed; null when there was none.
nlohmann::json sync_json(const std::optional<SyncReport>& report);

}  // namespace amis::federation
