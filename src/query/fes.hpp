#pragma once
// OGC Filter Encoding 2.0 (and the 1.1 filters of WFS 1.1) read into the one
// Expression tree that CQL2 also produces, so a WFS filter runs through the same
// SQL compiler. Property references are plain names only: nothing in a filter
// is ever evaluated as XPath.
#include <pugixml.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "core/crs.hpp"
#include "core/expression.hpp"

namespace amis::query {

struct FesContext {
  const core::Collection& collection;
  core::SrsName default_srs;  // for geometries without srsName: the query's CRS
  // WFS 1.0.0 (GML 2): coordinates are x/y, easting first, whatever the srsName
  // (QGIS writes urn:ogc:def:crs:EPSG::4326 there with longitude first).
  bool east_north_always = false;
};

struct FesFilter {
  std::optional<core::Expression> expression;  // geometry literals in CRS84
  std::vector<std::string> resource_ids;       // fes:ResourceId rid values
};

// @throws core::InvalidParameter("filter", ...) or core::ParsingFailed for a
// filter that cannot be read, names an unknown property or nests too deeply.
FesFilter parse_fes_filter(const pugi::xml_node& filter, const FesContext& context);
FesFilter parse_fes_filter_text(std::string_view xml, const FesContext& context);

// A GML geometry (gml:Point to gml:MultiSurface) as ISO WKB in CRS84, read as
// the filters' geometry literals are; `context.default_srs` applies without
// srsName. @throws core::InvalidParameter as parse_fes_filter.
std::vector<std::uint8_t> parse_gml_geometry(const pugi::xml_node& geometry, const FesContext& context);

// The property a valueReference (FES 2.0) or PropertyName (FES 1.1) names:
// "name", "amis:name" or "amis:<type>/amis:name"; "geometry" for the geometry.
// nullopt for anything else (paths, predicates, functions: never evaluated).
std::optional<std::string> resolve_value_reference(std::string_view text,
                                                   const core::Collection& collection);

}  // namespace amis::query
