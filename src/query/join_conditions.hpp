#pragma once
// The conditions of the spatial joins (core/spatial_join.hpp) are CQL2-Text in
// a string argument, in every filter language (CQL2-Text, CQL2-JSON, FES), so
// that one copied filter works everywhere; CQL2-JSON may also give the condition
// as a CQL2-JSON expression. Each parser calls this once on its result.
#include "core/expression.hpp"

namespace amis::query {

// Replaces each join's condition string by the expression it reads as (an
// empty string: no condition), and checks the join's arguments.
// @throws core::InvalidParameter("filter", ...) for a condition that does not
// parse, a condition that joins again, or bad join arguments.
void read_join_conditions(core::Expression& filter);

}  // namespace amis::query
