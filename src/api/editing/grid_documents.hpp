#pragma once
// The JSON of grid change sets (edit/grid_changes.hpp): their review (the
// coverage's grid now and the uploaded one) and a coverage's versions.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "edit/grid_changes.hpp"
#include "store/store.hpp"

namespace amis::api::editing {

nlohmann::json grid_review_json(const std::string& base, const edit::ChangeSet& change_set,
                                const std::vector<edit::Change>& changes,
                                const std::optional<store::RasterLayer>& coverage);

nlohmann::json grid_history_json(const std::string& base, const store::RasterLayer& coverage,
                                 const std::vector<edit::GridVersion>& versions);

}  // namespace amis::api::editing
