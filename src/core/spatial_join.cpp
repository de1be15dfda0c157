#include "core/spatial_join.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/error.hpp"

namespace amis::core {
namespace {

using Kind = Expression::Kind;

[[noreturn]] void fail(const std::string& why) { throw InvalidParameter("filter", why); }

std::string lowered(const std::string& s) {
  std::string out = s;
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_within_distance(const Expression& e) { return lowered(e.text) == "amis_within_distance"; }

void collect(const Expression& e, std::vector<std::string>& ids, std::size_t& joins) {
  if (is_spatial_join(e)) {
    if (++joins > kMaxJoinsPerFilter)
      fail("a filter may hold at most " + std::to_string(kMaxJoinsPerFilter) + " spatial joins");
    if (e.args.size() >= 2 && e.args[1].kind == Kind::String &&
        std::find(ids.begin(), ids.end(), e.args[1].text) == ids.end())
      ids.push_back(e.args[1].text);
  }
  for (const auto& arg : e.args) collect(arg, ids, joins);
}

}  // namespace

bool is_spatial_join(const Expression& e) {
  if (e.kind != Kind::Function) return false;
  const std::string name = lowered(e.text);
  return name == "amis_inside" || name == "amis_within_distance";
}

std::size_t join_condition_index(const Expression& e) { return is_within_distance(e) ? 3 : 2; }

SpatialJoin read_spatial_join(const Expression& e) {
  const bool distance = is_within_distance(e);
  const std::string name = distance ? "amis_within_distance" : "amis_inside";
  const std::size_t required = distance ? 3 : 2;
  if (e.args.size() < required || e.args.size() > required + 1)
    fail("'" + name + "' takes " + (distance ? "(geometry, 'collection', metres [, 'condition'])"
                                             : "(geometry, 'collection' [, 'condition'])"));
  SpatialJoin join;
  join.relation = distance ? SpatialJoin::Relation::WithinDistance : SpatialJoin::Relation::Inside;
  if (e.args[1].kind != Kind::String || e.args[1].text.empty())
    fail("the second argument of '" + name + "' is a collection id in quotes, e.g. 'licences'");
  join.collection = e.args[1].text;
  if (distance) {
    const Expression& m = e.args[2];
    if (m.kind == Kind::Integer) join.metres = static_cast<double>(m.integer);
    else if (m.kind == Kind::Real) join.metres = m.real;
    else fail("the third argument of 'amis_within_distance' is a distance in metres (a number)");
    if (!std::isfinite(join.metres) || join.metres <= 0 || join.metres > kMaxJoinMetres)
      fail("the distance of 'amis_within_distance' must be more than 0 and at most 1000000 metres");
  }
  if (e.args.size() == required + 1) {
    const Expression& c = e.args[required];
    if (c.kind != Kind::Operator && c.kind != Kind::Function && c.kind != Kind::Boolean)
      fail("the condition of '" + name + "' is CQL2-Text in quotes, e.g. 'status = ''active'''");
    join.condition = &c;
  }
  return join;
}

std::vector<std::string> joined_collections(const Expression& filter) {
  std::vector<std::string> ids;
  std::size_t joins = 0;
  collect(filter, ids, joins);
  return ids;
}

}  // namespace amis::core
