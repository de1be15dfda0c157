#pragma once
// CQL2 (OGC 21-065r2) in both encodings, read into the one Expression tree.
#include <string_view>

#include "core/expression.hpp"

namespace amis::query {

using core::Expression;

// Limits that keep a hostile filter from taking the server's memory or stack.
inline constexpr std::size_t kMaxFilterBytes = 256 * 1024;
inline constexpr int kMaxFilterDepth = 64;

// @throws core::InvalidParameter("filter", ...) with the position where parsing failed.
Expression parse_cql2_text(std::string_view text);

// @throws core::InvalidParameter("filter", ...) naming what is wrong in the JSON.
Expression parse_cql2_json(std::string_view json);

}  // namespace amis::query
