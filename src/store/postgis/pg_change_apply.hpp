#pragma once
// Applying an approved change set's feature changes to the published rows of a
// collection in PostgreSQL, with a version per change in amis_feature_versions
// (history and asOf read them) and each new feature's fid written back to its
// change in amis_changes.
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "edit/change_set.hpp"
#include "store/postgis/pg_connection.hpp"
#include "store/postgis/pg_feature_rows.hpp"

namespace amis::store::postgis {

// Applies every change of `list` (the change set's, in order), inside the
// caller's transaction: the new features a few statements at a time, then the
// replacements, deletions and restored features one by one. Sets each new
// feature's fid in `list`.
void apply_changes(Connection& c, FeatureRows& rows, const core::Collection& collection, const edit::ChangeSet& cs,
                   std::vector<edit::Change>& list, const std::string& time);

}  // namespace amis::store::postgis
