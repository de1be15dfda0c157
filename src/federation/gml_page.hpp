#pragma once
// A page of features a WFS node sent in GML (issue 16: nodes that offer no
// GeoJSON output): a WFS 2.0 wfs:FeatureCollection of wfs:member (GML 3.2), or a
// GML 3.1.1 / WFS 1.1 collection of gml:featureMember / gml:featureMembers, read
// into the same RemotePage as a GeoJSON page. Read safely and bounded: pugixml
// with no DTD accepted (no entity is expanded or fetched), at most
// kMaxRemotePageBytes of text and kMaxRemoteFeatures features; geometries are read
// as WFS filters' GML literals are (srsName and its axis order, to CRS84).
#include <cstdint>
#include <string_view>

#include "core/collection.hpp"
#include "federation/remote_page.hpp"

namespace amis::federation {

// The media type asked of a node for GML 3.2 (WFS 2.0's default).
inline constexpr const char* kGml32MediaType = "application/gml+xml; version=3.2";

// Values are read by the collection's property types from the elements' text.
// @throws core::ParsingFailed for a document that is no feature collection, holds
// an exception report, a geometry that cannot be read, or more than the bounds.
RemotePage read_gml_page(std::string_view xml, const core::Collection& collection, std::int64_t first_position = 1);

// The properties of the page's features (by element name; integer, real, boolean
// or text as all their values read) and their geometry type (GEOMETRY when mixed).
// @throws as read_gml_page.
void infer_gml_schema(std::string_view xml, core::Collection& collection);

}  // namespace amis::federation
