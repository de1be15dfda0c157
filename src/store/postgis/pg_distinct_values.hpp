#pragma once
// The distinct values of a text column of a feature table, when there are few:
// which properties are categories (the queryables' enums, the attribute indexes a
// node makes at start). A node asks this for every text property of every
// collection when it starts, so it must not read a table of millions of rows per
// property: a column of names or ids is told from its first rows or from the
// statistics ANALYZE keeps, and an indexed column is read by skipping along its
// index.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgis/pg_connection.hpp"

namespace amis::store::postgis {

// The sorted (bytewise) distinct non-null values of `column` in the collection's
// feature table, or none when there are more than `max`.
std::vector<std::string> distinct_text_values(Connection& db, std::string_view collection, const std::string& column,
                                              std::size_t max);

}  // namespace amis::store::postgis
