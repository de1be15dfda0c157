#pragma once
// Features written by clients (OGC API Features Part 4 bodies), read and checked
// against the collection's schema before anything is stored: a GeoJSON Feature
// whose geometry is valid, in CRS84 and of the collection's type, and whose
// properties are the collection's, with values of their types.
#include <span>
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

// Checks a geometry (ISO WKB in CRS84) as read_feature does; returns it as the
// collection stores it (a single geometry promoted to the collection's multi
// type, 2D). @throws core::InvalidValue.
std::vector<std::uint8_t> checked_geometry(const core::Collection& collection, std::span<const std::uint8_t> wkb);

// A value written as text (a WFS-T element, a CSV cell) as the JSON value of
// the property's type; empty text is null except for text properties.
// @throws core::InvalidValue for text that is not of the type, or not UTF-8.
nlohmann::json value_from_text(const core::Property& property, const std::string& text);

// Checks and normalises a properties object: every property of the collection
// is present (null when absent), values have their property's JSON type.
// @throws core::InvalidValue.
nlohmann::json checked_properties(const core::Collection& collection, const nlohmann::json& properties);

}  // namespace amis::edit
