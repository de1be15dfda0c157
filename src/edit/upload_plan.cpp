#include "edit/upload_plan.hpp"

#include <map>

#include "core/error.hpp"
#include "core/feature_sink.hpp"

namespace amis::edit {
namespace {

using nlohmann::json;

// A key value as comparable text: the JSON of the value in its property's type.
std::string key_text(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string key_text(const core::Value& v, core::PropertyType type) {
  switch (v.kind) {
    case core::Value::Kind::Null: return "null";
    case core::Value::Kind::Integer:
      if (type == core::PropertyType::Real) return key_text(json(static_cast<double>(v.integer)));
      if (type == core::PropertyType::Boolean) return key_text(json(v.integer != 0));
      return key_text(json(v.integer));
    case core::Value::Kind::Real: return key_text(json(v.real));
    case core::Value::Kind::Text: return key_text(json(std::string(v.text)));
  }
  return "null";
}

// The published features in scope: fid by key (or every fid without a key).
class KeySink final : public core::FeatureSink {
 public:
  explicit KeySink(core::PropertyType type) : type_(type) {}
  void begin(const core::Collection&) override {}
  void end() override {}
  void feature(const core::FeatureView& f) override {
    fids.push_back(f.id);
    if (!f.values.empty()) by_key[key_text(f.values[0], type_)].push_back(f.id);
  }
  std::vector<std::int64_t> fids;
  std::map<std::string, std::vector<std::int64_t>> by_key;

 private:
  core::PropertyType type_;
};

[[noreturn]] void refuse_keys_of_other_countries(const core::Property& key, const std::string& country_property,
                                                 const std::string& country, const std::vector<std::string>& keys) {
  constexpr std::size_t kNamed = 5;
  std::string named;
  for (std::size_t i = 0; i < keys.size() && i < kNamed; ++i) named += (i ? ", " : "") + keys[i].substr(0, 60);
  if (keys.size() > kNamed) named += " and " + std::to_string(keys.size() - kNamed) + " more";
  throw core::Conflict("'" + key.name + "' " + named + (keys.size() == 1 ? " is the key" : " are the keys") +
                       " of published features whose " + country_property + " is not " + country +
                       "; keys stay unique, so the upload cannot add them as new features (upload them for their "
                       "own country, or give them new keys)");
}

}  // namespace

UploadPlan plan_upload(store::Store& store, ChangeService& changes, const EditingRules& rules,
                       const core::Collection& collection, std::vector<UploadedFeature> uploaded,
                       const UploadRequest& request) {
  const std::string& country_property = rules.rules(collection.id).country_property;
  const bool has_country = collection.property(country_property) != nullptr;
  const core::Property* key = nullptr;
  if (request.key) {
    key = collection.property(*request.key);
    if (!key) throw core::InvalidValue("key", "collection '" + collection.id + "' has no property '" + *request.key + "'");
  } else if (request.mode == UploadMode::Merge) {
    throw core::InvalidValue("key", "a merge needs key=<property> to match uploaded features with published ones");
  }
  if (request.mode == UploadMode::Replace && (request.country.empty() || !has_country))
    throw core::InvalidValue("country", "a replacing upload replaces the features of one country: give country=<ISO3>");

  // The published features the upload is matched with: the country's, if one is named.
  core::FeatureQuery scope;
  scope.collection = collection.id;
  if (!request.country.empty() && has_country) scope.equals.push_back({country_property, request.country});
  scope.properties = key ? std::vector<std::string>{key->name} : std::vector<std::string>{};
  scope.limit = std::numeric_limits<std::int64_t>::max();
  KeySink published(key ? key->type : core::PropertyType::Text);
  store.features(collection, scope, published);
  // Keys stay unique in the whole collection: a key the country's features lack
  // may still be another country's, and inserting it again would make two.
  KeySink everywhere(key ? key->type : core::PropertyType::Text);
  if (key && !scope.equals.empty()) {
    core::FeatureQuery all = scope;
    all.equals.clear();
    store.features(collection, all, everywhere);
  }
  std::vector<std::string> keys_elsewhere;

  UploadPlan plan;
  std::map<std::string, bool> seen;
  for (auto& [state, columns] : uploaded) {
    if (!request.country.empty() && has_country && state.properties[country_property].is_null())
      state.properties[country_property] = request.country;
    if (!key) {
      plan.writes.push_back({Operation::Insert, std::nullopt, std::move(state), ""});
      ++plan.inserted;
      continue;
    }
    const auto& value = state.properties[key->name];
    if (value.is_null()) throw core::InvalidValue("key", "an uploaded feature has no '" + key->name + "'");
    const std::string k = key_text(value);
    if (seen[k]) throw core::InvalidValue("key", "the upload holds '" + key->name + "' = " + k.substr(0, 60) + " twice");
    seen[k] = true;
    const std::vector<std::int64_t>* matched = nullptr;
    if (auto m = published.by_key.find(k); m != published.by_key.end()) {
      matched = &m->second;
    } else if (auto other = everywhere.by_key.find(k); other != everywhere.by_key.end()) {
      // A feature that names another country is a write to that country's feature
      // (the policy decides who may); one filed under the upload's country would
      // be a second feature with the key.
      if (state.properties[country_property] == json(request.country)) {
        keys_elsewhere.push_back(k);
        continue;
      }
      matched = &other->second;
    }
    if (!matched) {
      plan.writes.push_back({Operation::Insert, std::nullopt, std::move(state), ""});
      ++plan.inserted;
      continue;
    }
    if (matched->size() > 1)
      throw core::InvalidValue("key", "'" + key->name + "' = " + k.substr(0, 60) + " names " +
                                          std::to_string(matched->size()) + " published features; choose a key "
                                          "that identifies one");
    const auto fid = matched->front();
    const auto current = changes.current(collection, fid);
    if (current) {  // what the upload does not give stays as published
      FeatureState merged = *current;
      for (const auto& column : columns) merged.properties[column] = state.properties[column];
      if (request.has_geometry) merged.wkb = std::move(state.wkb);
      if (!request.country.empty() && has_country && merged.properties[country_property].is_null())
        merged.properties[country_property] = request.country;
      state = std::move(merged);
    }
    if (current && digest(*current) == digest(state)) {
      ++plan.unchanged;
      continue;
    }
    plan.writes.push_back({Operation::Replace, fid, std::move(state), ""});
    ++plan.replaced;
  }
  if (!keys_elsewhere.empty()) refuse_keys_of_other_countries(*key, country_property, request.country, keys_elsewhere);
  if (request.mode == UploadMode::Replace) {
    if (key) {
      for (const auto& [k, fids] : published.by_key)
        if (!seen.count(k))
          for (auto fid : fids) {
            plan.writes.push_back({Operation::Delete, fid, std::nullopt, ""});
            ++plan.deleted;
          }
    } else {
      for (auto fid : published.fids) {
        plan.writes.push_back({Operation::Delete, fid, std::nullopt, ""});
        ++plan.deleted;
      }
    }
  }
  return plan;
}

}  // namespace amis::edit
