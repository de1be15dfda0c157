#pragma once
// What a reviewer sees of a change set: each change with the feature before and
// after, the properties that differ, whether the geometry moved, and the
// problems found (a conflict with changes published since, a feature outside its
// country's boundary, a missing country).
#include <optional>
#include <string>
#include <vector>

#include "edit/editing_policy.hpp"
#include "store/catalog_store.hpp"
#include "store/change_sets.hpp"
#include "store/store.hpp"

namespace amis::edit {

struct PropertyChange {
  std::string name;
  nlohmann::json before;
  nlohmann::json after;
};

struct ReviewedChange {
  Change change;
  std::optional<FeatureState> before;  // none for an insert
  std::vector<PropertyChange> properties;
  bool geometry_changed = false;
  std::vector<std::string> problems;
};

// For a pending change set, `before` is the feature as published now; for an
// approved one, the version its change replaced.
std::vector<ReviewedChange> review(store::Store& store, store::ChangeSetStore& change_sets, const EditingRules& rules,
                                   const core::Collection& collection, const ChangeSet& change_set);

// The same for a change set of the catalogue: `before` and `after` hold record
// documents (catalog::to_json), `properties` their members that differ.
std::vector<ReviewedChange> review_records(store::CatalogStore& catalog, store::ChangeSetStore& change_sets,
                                           const ChangeSet& change_set);

}  // namespace amis::edit
