#include "query/join_conditions.hpp"

#include "core/error.hpp"
#include "core/spatial_join.hpp"
#include "query/cql2.hpp"

namespace amis::query {
namespace {

using Kind = core::Expression::Kind;

bool has_join(const core::Expression& e) {
  if (core::is_spatial_join(e)) return true;
  for (const auto& arg : e.args)
    if (has_join(arg)) return true;
  return false;
}

void read_condition(core::Expression& join) {
  const std::size_t at = core::join_condition_index(join);
  if (join.args.size() <= at) return;
  core::Expression& condition = join.args[at];
  if (condition.kind == Kind::String) {
    if (condition.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      join.args.pop_back();  // '' is every feature, as when left out
      return;
    }
    try {
      condition = parse_cql2_text(condition.text);
    } catch (const core::OgcError& e) {
      std::string why = e.what();
      const std::string prefix = "Parameter 'filter': ";
      if (why.starts_with(prefix)) why.erase(0, prefix.size());
      throw core::InvalidParameter("filter", "the condition of '" + join.text + "': " + why);
    }
  }
  if (has_join(condition)) throw core::InvalidParameter("filter", "a join's condition cannot join again");
}

void read_all(core::Expression& e) {
  if (core::is_spatial_join(e)) {
    read_condition(e);
    core::read_spatial_join(e);  // checks the other arguments
    return;
  }
  for (auto& arg : e.args) read_all(arg);
}

}  // namespace

void read_join_conditions(core::Expression& filter) {
  core::joined_collections(filter);  // bounds the number of joins first
  read_all(filter);
}

}  // namespace amis::query
