#pragma once
// Features written by clients (OGC API Features Part 4 bodies), read and checked
// against the collection's schema before anything is stored: a GeoJSON Feature
// whose geometry is valid, in CRS84 and of the collection's type, and whose
// properties are the collection's, with values of their types.
#include <string_view>

#include "core/collection.hpp"
#include "edit/change_set.hpp"

namespace amis::edit {

// @throws core::ParsingFailed for a body that is not a GeoJSON Feature,
// core::InvalidValue for a geometry or property the collection does not accept.
FeatureState read_feature(const core::Collection& collection, std::string_view body);

// Applies a JSON merge patch (RFC 7396) to a published feature: "geometry"
// replaces the geometry, "properties" is merged (null removes a value).
// @throws as read_feature.
FeatureState merge_patch(const core::Collection& collection, FeatureState current, std::string_view body);

// Checks and normalises a properties object: every property of the collection
// is present (null when absent), values have their property's JSON type.
// @throws core::InvalidValue.
nlohmann::json checked_properties(const core::Collection& collection, const nlohmann::json& properties);

}  // namespace amis::edit
