#pragma once
// Nodes and run reports as JSON, as the admin API and `amis node` show them. A
// node's token never appears: only whether it has one.
#include <nlohmann/json.hpp>

#include "federation/node.hpp"

namespace amis::federation {

nlohmann::json node_json(const Node& node);
nlohmann::json run_json(const HarvestRun& run);

}  // namespace amis::federation
