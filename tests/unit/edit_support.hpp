#pragma once
// Helpers of the change-set tests: change sets, changes and feature states of the
// mines of test_support.hpp.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "edit/change_set.hpp"
#include "test_support.hpp"

namespace amis::testing {

inline edit::ChangeSet submitted(const std::string& author) {
  edit::ChangeSet cs;
  cs.collection = "mines";
  cs.title = "test";
  cs.author = author;
  cs.state = edit::ChangeSetState::Submitted;
  return cs;
}

inline edit::FeatureState state(const char* wkt, const std::string& name, const std::string& iso3) {
  return {wkb_from_wkt(wkt),
          nlohmann::json{{"name", name}, {"iso3", iso3}, {"capacity", 1.5}, {"opened", nullptr}}};
}

inline edit::Change change(edit::Operation op, std::optional<std::int64_t> fid, std::string base,
                           edit::FeatureState after = {}) {
  edit::Change c;
  c.operation = op;
  c.fid = fid;
  c.base = std::move(base);
  c.after = std::move(after);
  return c;
}

}  // namespace amis::testing
