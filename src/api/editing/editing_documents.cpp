#include "api/editing/editing_documents.hpp"

#include "core/wkb.hpp"
#include "encode/geojson_geometry.hpp"

namespace amis::api::editing {
namespace {

using nlohmann::json;

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json link(const std::string& href, const char* rel, const char* type, const std::string& title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

}  // namespace

json feature_json(std::optional<std::int64_t> fid, const std::optional<edit::FeatureState>& state) {
  if (!state) return nullptr;
  json geometry = nullptr;
  if (!state->wkb.empty()) {
    std::string text;
    try {
      encode::append_geojson_geometry(text, state->wkb);
      geometry = json::parse(text);
    } catch (const core::WkbError&) {
      geometry = nullptr;
    }
  }
  json f = {{"type", "Feature"}, {"geometry", geometry}, {"properties", state->properties}};
  if (fid) f["id"] = *fid;
  return f;
}

json change_set_json(const std::string& base, const edit::ChangeSet& cs) {
  const std::string self = base + "/changesets/" + std::to_string(cs.id);
  return {{"id", cs.id},
          {"collection", cs.collection},
          {"title", cs.title},
          {"author", cs.author},
          {"country", text_or_null(cs.country)},
          {"state", edit::to_string(cs.state)},
          {"created", cs.created},
          {"submitted", text_or_null(cs.submitted)},
          {"reviewed", text_or_null(cs.reviewed)},
          {"reviewer", text_or_null(cs.reviewer)},
          {"comment", cs.comment},
          {"changes", cs.change_count},
          {"links", json::array({link(self, "self", "application/json", "This change set"),
                                 link(self + "/review", "review", "application/json",
                                      "The changes with their differences and problems"),
                                 link(base + "/collections/" + cs.collection, "collection", "application/json",
                                      "The collection it changes")})}};
}

json change_sets_json(const std::string& base, const std::vector<edit::ChangeSet>& list) {
  json items = json::array();
  for (const auto& cs : list) items.push_back(change_set_json(base, cs));
  return {{"changeSets", items}, {"links", json::array({link(base + "/changesets", "self", "application/json",
                                                              "Change sets")})}};
}

json review_json(const std::string& base, const edit::ChangeSet& cs, const std::vector<edit::ReviewedChange>& changes,
                 std::int64_t offset, std::int64_t limit) {
  json items = json::array();
  std::int64_t problems = 0;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto& r = changes[i];
    problems += static_cast<std::int64_t>(!r.problems.empty());
    if (static_cast<std::int64_t>(i) < offset || static_cast<std::int64_t>(i) >= offset + limit) continue;
    json properties = json::array();
    for (const auto& p : r.properties) properties.push_back({{"name", p.name}, {"before", p.before}, {"after", p.after}});
    std::optional<edit::FeatureState> after;
    if (r.change.operation != edit::Operation::Delete) after = r.change.after;
    items.push_back({{"seq", r.change.seq},
                     {"operation", edit::to_string(r.change.operation)},
                     {"featureId", r.change.fid ? json(*r.change.fid) : json(nullptr)},
                     {"before", feature_json(r.change.fid, r.before)},
                     {"after", feature_json(r.change.fid, after)},
                     {"properties", properties},
                     {"geometryChanged", r.geometry_changed},
                     {"problems", r.problems}});
  }
  return {{"changeSet", change_set_json(base, cs)},
          {"numberOfChanges", changes.size()},
          {"changesWithProblems", problems},
          {"offset", offset},
          {"changes", items}};
}

json history_json(const std::string& base, const core::Collection& c, std::int64_t fid,
                  const std::vector<edit::Version>& versions) {
  json features = json::array();
  for (const auto& v : versions) {
    json f = feature_json(fid, v.state);
    if (f.is_null()) f = {{"type", "Feature"}, {"id", fid}, {"geometry", nullptr}, {"properties", nullptr}};
    f["version"] = {{"number", v.number},
                    {"operation", v.operation},
                    {"changeSet", v.change_set ? json(*v.change_set) : json(nullptr)},
                    {"author", text_or_null(v.author)},
                    {"time", text_or_null(v.time)}};
    features.push_back(std::move(f));
  }
  const std::string feature = base + "/collections/" + c.id + "/items/" + std::to_string(fid);
  return {{"type", "FeatureCollection"},
          {"features", features},
          {"numberReturned", versions.size()},
          {"links", json::array({link(feature + "/history", "self", "application/geo+json", "The feature's versions"),
                                 link(feature, "about", "application/geo+json", "The feature as published")})}};
}

json audit_json(const std::vector<edit::AuditEntry>& entries) {
  json items = json::array();
  for (const auto& e : entries)
    items.push_back({{"id", e.id}, {"time", e.time}, {"actor", e.actor}, {"action", e.action},
                     {"subject", e.subject}, {"detail", e.detail}});
  return {{"entries", items}};
}

}  // namespace amis::api::editing
