#pragma once
// Feature properties kept as JSON text (change sets and feature versions, in
// both stores) read back as a FeatureView's values, typed by the collection.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/collection.hpp"
#include "core/feature.hpp"

namespace amis::store {

// The JSON object in `text`; an empty object for anything else.
nlohmann::json parse_properties(std::string_view text);

// Properties as they are kept as text: compact JSON, invalid UTF-8 replaced.
std::string properties_text(const nlohmann::json& properties);

// One value per property of `collection`, in its order: booleans as integers
// 0/1, integers as reals for real properties, strings viewing `texts` (which
// must outlive the values' use).
void properties_to_values(const nlohmann::json& properties, const core::Collection& collection,
                          std::vector<core::Value>& values, std::vector<std::string>& texts);

}  // namespace amis::store
