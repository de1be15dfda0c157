#pragma once
// `filter-crs` (OGC API - Features Part 3 with Part 2): geometry literals of a
// filter given in another CRS are transformed to CRS84 before the filter runs.
#include "core/crs.hpp"
#include "core/expression.hpp"

namespace amis::query {

// @throws core::InvalidParameter("filter-crs", ...) for a CRS PROJ does not know
// or a literal that cannot be transformed.
void transform_literals_to_crs84(core::Expression& filter, const core::Crs& from);

}  // namespace amis::query
