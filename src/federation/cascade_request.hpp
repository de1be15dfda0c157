#pragma once
// A feature query of a cascaded collection turned into the node's request: OGC
// API - Features items (bbox, datetime, property=value, a CQL2 filter written as
// CQL2-JSON, sortby, limit and offset) or WFS 2.0 GetFeature in GeoJSON (bbox,
// sortBy, count and startIndex). What a node's protocol cannot carry is refused
// (400, naming the parameter) rather than evaluated here on a partial page:
// every page AMIS serves is the node's own answer.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/feature_query.hpp"
#include "federation/node.hpp"
#include "federation/url.hpp"

namespace amis::federation {

// Whether a node of this kind can be published here (OGC API - Features: amis,
// oapif; WFS: cascaded or mirrored; WMS: a layer cascaded, drawn by the node).
bool publishable(NodeKind kind);

// The node's document describing the source (an OGC API collection); for WFS
// the first page of features.
// @throws core::InvalidValue for a node that cannot be published from.
NodeUrl source_description_url(const Node& node, std::string_view source_id);

// A page of the source: `limit` features from position `offset` (0-based); `gml`:
// a WFS node asked for GML 3.2 (it offers no GeoJSON).
// @throws core::InvalidParameter for what the node's protocol cannot carry.
NodeUrl page_url(const Node& node, std::string_view source_id, const core::FeatureQuery& query, std::int64_t limit,
                 std::int64_t offset, bool gml = false);

// One feature by its id at the node.
NodeUrl feature_url(const Node& node, std::string_view source_id, std::int64_t id, bool gml = false);

}  // namespace amis::federation
