#pragma once
// Spatial joins between collections: a filter function that holds when a
// feature lies inside, or within a distance of, a feature of another collection
// (optionally only those of its features that meet a condition). They are
// written as the CQL2 functions
//   amis_inside(geom, 'licences' [, 'status = ''active'''])
//   amis_within_distance(geom, 'ports', 50000 [, 'kind = ''deep sea'''])
// (core/filter_functions.cpp publishes them at /functions and in WFS
// capabilities). The query layer reads the condition, CQL2-Text in a string,
// into an Expression (query/join_conditions.hpp); each store compiles the join
// to an EXISTS over the other collection's spatial index. The other collection
// is looked up by whoever answers for the caller's rights (store::VisibleStore)
// and handed to the store in FeatureQuery::joined: a collection the caller may
// not read is as unknown to a join as to a direct query.
#include <string>
#include <vector>

#include "core/expression.hpp"

namespace amis::core {

// The largest distance a join may ask for: farther, the spatial index no longer narrows much.
inline constexpr double kMaxJoinMetres = 1'000'000;
// How many joins one filter may hold: each is a sub-query per candidate feature.
inline constexpr std::size_t kMaxJoinsPerFilter = 4;

struct SpatialJoin {
  enum class Relation { Inside, WithinDistance };
  Relation relation = Relation::Inside;
  std::string collection;
  double metres = 0;  // WithinDistance only
  const Expression* condition = nullptr;  // over the other collection; null: every feature of it
};

// True for a call of amis_inside or amis_within_distance (any case).
bool is_spatial_join(const Expression& e);

// The position of the condition argument of a join function (2 or 3).
std::size_t join_condition_index(const Expression& e);

// Reads a join call whose condition, if any, is already an expression.
// @throws InvalidParameter("filter", ...) for a wrong number or kind of arguments,
// a distance outside (0, 1000 km] or a condition still in text form.
SpatialJoin read_spatial_join(const Expression& e);

// The distinct collections the filter's joins name, in order of appearance.
// @throws InvalidParameter("filter", ...) for more than kMaxJoinsPerFilter joins.
std::vector<std::string> joined_collections(const Expression& filter);

}  // namespace amis::core
