#pragma once
// How an uploaded dataset becomes the writes of one change set (issue 6):
// merged into the collection by a key property (new keys inserted, changed
// features replaced, identical ones left alone), or replacing the features of
// one country (by key, also deleting the keys the upload lacks; without a key,
// deleting all of them and inserting the upload).
#include <optional>
#include <string>
#include <vector>

#include "edit/change_service.hpp"
#include "edit/editing_policy.hpp"
#include "store/store.hpp"

namespace amis::edit {

enum class UploadMode { Merge, Replace };

struct UploadRequest {
  UploadMode mode = UploadMode::Merge;
  bool has_geometry = true;  // false: published features keep their geometry
  std::optional<std::string> key;  // a property of the collection
  std::string country;              // the features the upload may replace (an editor's own)
};

struct UploadPlan {
  std::vector<Write> writes;
  std::int64_t inserted = 0, replaced = 0, deleted = 0, unchanged = 0;
};

// @throws core::InvalidValue for a key the collection lacks, a feature without
// a key value, or a key given twice in the upload; core::Conflict for keys of
// published features outside the upload's country (keys stay unique).
// An uploaded feature: its content, and the properties it gives (a published
// feature keeps the others).
struct UploadedFeature {
  FeatureState state;
  std::vector<std::string> columns;
};

UploadPlan plan_upload(store::Store& store, ChangeService& changes, const EditingRules& rules,
                       const core::Collection& collection, std::vector<UploadedFeature> uploaded,
                       const UploadRequest& request);

}  // namespace amis::edit
