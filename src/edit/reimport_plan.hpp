#pragma once
// A collection imported again from a new edition of its source (issue 22):
// `amis import --key <property>` matches the file's features with the
// published ones by the key and turns the difference into the writes of ONE
// change set — new keys inserted, changed features replaced (keeping their
// fid, so their history goes on), keys the file no longer holds deleted (their
// versions kept), identical features left alone — which the importing
// administrator publishes through ChangeService like any other change set.
#include <string>
#include <vector>

#include "edit/change_service.hpp"
#include "edit/upload_plan.hpp"
#include "store/store.hpp"

namespace amis::edit {

// @throws core::InvalidValue for a key the collection lacks; naming the keys,
// for features of the file without a key value or with one given twice, and for
// a key value that several published features share. Without `has_geometry`
// (a table of attributes) published features keep their geometry.
UploadPlan plan_reimport(store::Store& store, ChangeService& changes, const core::Collection& collection,
                         std::vector<UploadedFeature> features, bool has_geometry, const std::string& key);

}  // namespace amis::edit
