#pragma once
// The JSON documents of the editing API: change sets, their review (diff and
// problems), a feature's history (a GeoJSON FeatureCollection of versions) and
// the audit log.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/collection.hpp"
#include "edit/change_review.hpp"
#include "edit/change_set.hpp"

namespace amis::api::editing {

nlohmann::json change_set_json(const std::string& base, const edit::ChangeSet& change_set);
nlohmann::json change_sets_json(const std::string& base, const std::vector<edit::ChangeSet>& list);
nlohmann::json review_json(const std::string& base, const edit::ChangeSet& change_set,
                           const std::vector<edit::ReviewedChange>& changes, std::int64_t offset, std::int64_t limit);
nlohmann::json history_json(const std::string& base, const core::Collection& collection, std::int64_t fid,
                            const std::vector<edit::Version>& versions);
nlohmann::json audit_json(const std::vector<edit::AuditEntry>& entries);

// A GeoJSON Feature of a feature's content; null for none.
nlohmann::json feature_json(std::optional<std::int64_t> fid, const std::optional<edit::FeatureState>& state);

}  // namespace amis::api::editing
