#include "edit/reimport_plan.hpp"

#include <limits>
#include <map>

#include "core/error.hpp"
#include "core/feature_sink.hpp"

namespace amis::edit {
namespace {

// A key value as comparable text: its JSON, typed by the collection's schema
// on both sides (published features and the file's, through checked_properties).
std::string key_text(const nlohmann::json& v) { return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

class FidSink final : public core::FeatureSink {
 public:
  void begin(const core::Collection&) override {}
  void end() override {}
  void feature(const core::FeatureView& f) override { fids.push_back(f.id); }
  std::vector<std::int64_t> fids;
};

// "a, b, c and 12 more": the offending keys, named but bounded.
std::string listed(const std::vector<std::string>& items) {
  constexpr std::size_t kShown = 20;
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < kShown; ++i) text += (i ? ", " : "") + items[i].substr(0, 60);
  if (items.size() > kShown) text += " and " + std::to_string(items.size() - kShown) + " more";
  return text;
}

// Only the digest is kept of each published feature: holding 200,000 of them
// as JSON took 800 MB. The few that changed are read again to be merged.
struct Published {
  std::int64_t fid;
  std::string digest;
};

}  // namespace

UploadPlan plan_reimport(store::Store& store, ChangeService& changes, const core::Collection& collection,
                         std::vector<UploadedFeature> features, bool has_geometry, const std::string& key) {
  if (!collection.property(key))
    throw core::InvalidValue("key", "collection '" + collection.id + "' has no property '" + key + "'");

  // The file first: every feature must name itself once.
  std::vector<std::string> missing, twice;
  std::map<std::string, std::size_t> in_file;
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto& value = features[i].state.properties[key];
    if (value.is_null()) {
      missing.push_back("feature " + std::to_string(i + 1));
      continue;
    }
    const auto [at, fresh] = in_file.emplace(key_text(value), i);
    if (!fresh && (twice.empty() || twice.back() != at->first)) twice.push_back(at->first);
  }
  if (!missing.empty())
    throw core::InvalidValue("key", "the file has " + std::to_string(missing.size()) + " features without '" + key +
                                        "': " + listed(missing));
  if (!twice.empty())
    throw core::InvalidValue("key", "the file gives these values of '" + key + "' more than once: " + listed(twice));

  // Then the published features, by key.
  core::FeatureQuery everything;
  everything.collection = collection.id;
  everything.properties = {key};
  everything.limit = std::numeric_limits<std::int64_t>::max();
  FidSink fids;
  store.features(collection, everything, fids);
  std::map<std::string, Published> published;
  std::vector<std::string> shared;
  std::vector<std::int64_t> keyless;  // published without a key: not in the file, so deleted
  for (auto fid : fids.fids) {
    auto state = changes.current(collection, fid);
    if (!state) continue;
    const auto& value = state->properties[key];
    if (value.is_null()) {
      keyless.push_back(fid);
      continue;
    }
    const auto [at, fresh] = published.emplace(key_text(value), Published{fid, digest(*state)});
    if (!fresh) shared.push_back(at->first);
  }
  if (!shared.empty())
    throw core::InvalidValue("key", "published features of '" + collection.id + "' share these values of '" + key +
                                        "', so it does not identify them: " + listed(shared));

  UploadPlan plan;
  for (auto& [state, columns] : features) {
    auto match = published.find(key_text(state.properties[key]));
    if (match == published.end()) {
      plan.writes.push_back({Operation::Insert, std::nullopt, std::move(state), ""});
      ++plan.inserted;
      continue;
    }
    const auto& [fid, before_digest] = match->second;
    if (has_geometry && digest(state) == before_digest) {  // the file gives the whole feature as published
      ++plan.unchanged;
      continue;
    }
    const auto before = changes.current(collection, fid);
    if (!before) throw core::Conflict("feature " + std::to_string(fid) + " of '" + collection.id + "' changed meanwhile");
    FeatureState after = *before;  // what the file does not give stays as published
    for (const auto& column : columns) after.properties[column] = state.properties[column];
    if (has_geometry) after.wkb = std::move(state.wkb);
    if (digest(after) == before_digest) {
      ++plan.unchanged;
      continue;
    }
    plan.writes.push_back({Operation::Replace, fid, std::move(after), ""});
    ++plan.replaced;
  }
  for (const auto& [k, p] : published) {
    if (in_file.count(k)) continue;
    plan.writes.push_back({Operation::Delete, p.fid, std::nullopt, ""});
    ++plan.deleted;
  }
  for (auto fid : keyless) {
    plan.writes.push_back({Operation::Delete, fid, std::nullopt, ""});
    ++plan.deleted;
  }
  return plan;
}

}  // namespace amis::edit
