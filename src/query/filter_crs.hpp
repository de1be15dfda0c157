#pragma once
// `filter-crs` (OGC API - Features Part 3 with Part 2): geometry literals of a
// filter given in another CRS are transformed to CRS84 before the filter runs.
#include "core/crs.hpp"
#include "core/expression.hpp"

namespace amis::query {

// @throws core::InvalidParameter("filter-crs", ...) for a CRS PROJ does not know
// or a literal that cannot be transformed.
void transform_literals_to_crs84(core::Expression& filter, const core::Crs& from);

// Geometry and BBOX literals must lie within longitude -180..180 and latitude
// -90..90 once in CRS84 (CQL2: "POINT(90 180)" is a client error).
// @throws core::InvalidParameter("filter", ...) naming the literal.
void check_crs84_literals(const core::Expression& filter);

}  // namespace amis::query
