#pragma once
// A harvest run's failures as the JSON text both stores keep in one column.
#include <string>
#include <string_view>
#include <vector>

#include "federation/node.hpp"

namespace amis::store {

std::string failures_json(const std::vector<federation::HarvestFailure>& failures);
// Unreadable text gives no failures.
std::vector<federation::HarvestFailure> failures_from_json(std::string_view text);

// A harvested page's items (source id and digest of each record) as the JSON text both
// stores keep in one column. Unreadable text gives no items.
std::string page_items_json(const std::vector<std::pair<std::string, std::string>>& items);
std::vector<std::pair<std::string, std::string>> page_items_from_json(std::string_view text);

}  // namespace amis::store
