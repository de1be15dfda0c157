#pragma once
// A filter tree written back as CQL2-JSON: what a cascaded collection forwards
// to the node that holds the data (which parses it as AMIS's own parser does).
#include <optional>
#include <string>

#include "core/expression.hpp"

namespace amis::query {

// The CQL2-JSON text of `e`; nullopt when the tree holds what CQL2 cannot say
// (SLD's ElseFilter, "not_true") or a geometry that cannot be written.
std::optional<std::string> to_cql2_json(const core::Expression& e);

}  // namespace amis::query
