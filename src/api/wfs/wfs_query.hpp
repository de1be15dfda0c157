#pragma once
// Gives a WFS request's query parameters their types: the feature type's
// FeatureQuery (bbox, FES filter, resource ids, sortBy, propertyName, paging)
// and the CRS of the response.
#include <cstdint>
#include <string>

#include "api/wfs/wfs_request.hpp"
#include "core/collection.hpp"
#include "core/crs.hpp"
#include "core/feature_query.hpp"

namespace amis::api::wfs {

struct WfsQuery {
  core::FeatureQuery query;
  core::SrsName srs;
  bool paged = false;  // count was given: next/previous links are offered
};

// The default srsName of a version: urn:ogc:def:crs:EPSG::4326 (2.0) or
// urn:x-ogc:def:crs:EPSG:4326 (1.1), both latitude first.
core::SrsName default_srs(bool wfs_2_0);

// @throws core::OgcError (InvalidParameterValue with the parameter as locator).
WfsQuery type_query(const WfsRequest& request, const core::Collection& collection, bool wfs_2_0);

// "coal_mines.12" → 12 when the prefix names `collection`; nullopt otherwise.
std::optional<std::int64_t> feature_id_of(std::string_view resource_id, const core::Collection& collection);

// "amis:coal_mines" or "coal_mines" → "coal_mines" (or "m:coal_mines" when the
// request binds m to the amis namespace); nullopt for another prefix.
std::optional<std::string> collection_id_of(std::string_view type_name, const std::vector<std::string>& prefixes);

enum class OutputFormat { Gml32, Gml311, GeoJson, Download };  // Download: api::find_download_format

// @throws InvalidParameterValue (locator outputFormat) for a format not offered.
OutputFormat parse_output_format(std::string_view text, bool wfs_2_0);

}  // namespace amis::api::wfs
