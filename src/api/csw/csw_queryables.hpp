#pragma once
// The queryables of CSW 2.0.2 (Dublin Core, OGC 07-006r1 table 1) and of the ISO
// Application Profile 1.0 (OGC 07-045, tables 9-10) that AMIS answers, each mapped
// onto a queryable of the catalogue (catalog/queryables.hpp). A filter or a sort
// key naming anything else is refused: nothing a client sends is evaluated as an
// XPath or an expression (GeoServer's CVE-2024-36401 came from doing that).
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "catalog/catalog_query.hpp"
#include "core/collection.hpp"
#include "core/expression.hpp"

namespace amis::api::csw {

struct CswQueryable {
  std::string_view name;     // as capabilities list it: "apiso:Title", "dc:title", "csw:AnyText"
  std::string_view catalog;  // the catalogue queryable; "" for AnyText (every text field)
  core::PropertyType type;
  bool sortable;
  std::optional<catalog::FacetField> domain;  // GetDomain answers it from this facet
};

std::span<const CswQueryable> csw_queryables();

// The queryable a property name denotes ("apiso:Title", "Title", "dc:title",
// "csw:AnyText", "ows:BoundingBox"), or nullptr.
const CswQueryable* find_csw_queryable(std::string_view name);

// The names an ogc:Filter may use, as the FES reader resolves them (prefixes
// stripped): the vocabulary a filter is read against.
const core::Collection& csw_filter_vocabulary();

// A filter read against csw_filter_vocabulary (FES 1.1 or CQL) with its names
// put onto the catalogue's queryables: AnyText becomes a case-insensitive match
// of every word of the value in the title, abstract, keywords or themes; LIKE on
// text is case-insensitive as catalogues answer it.
// @throws core::InvalidParameter("Constraint", ...) for an operator a queryable
// cannot take (an order comparison on AnyText, a spatial test on a title).
// The result holds AnyText words as markers: give it to set_filter only.
core::Expression to_catalog_filter(const core::Expression& csw_filter);

// Moves what every match must pass (the filter itself or the operands of its top
// "and") to where the store's indexes answer it: a BBOX test on the extent into
// `query.bbox`, AnyText words into `query.any_text`; the rest stays in
// `query.filter` (AnyText under "or" or "not" as catalog::any_text_condition).
void set_filter(catalog::CatalogQuery& query, core::Expression filter);

}  // namespace amis::api::csw
