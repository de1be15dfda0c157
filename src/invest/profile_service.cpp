#include "invest/profile_service.hpp"

#include "core/error.hpp"

namespace amis::invest {
namespace {

using nlohmann::json;

// Collects the published profile features (iso3 and the document).
class ProfileSink final : public core::FeatureSink {
 public:
  struct Row {
    std::int64_t fid;
    json properties;
  };
  explicit ProfileSink(std::vector<Row>& out) : out_(out) {}
  void begin(const core::Collection& collection) override { collection_ = collection; }
  void feature(const core::FeatureView& f) override {
    json p = json::object();
    for (std::size_t i = 0; i < f.values.size() && i < collection_.properties.size(); ++i)
      if (f.values[i].kind == core::Value::Kind::Text) p[collection_.properties[i].name] = std::string(f.values[i].text);
    out_.push_back({f.id, std::move(p)});
  }
  void end() override {}

 private:
  std::vector<Row>& out_;
  core::Collection collection_;
};

// Twelve months after an RFC 3339 instant: the same date and time a year later.
std::string twelve_months_after(const std::string& instant) {
  if (instant.size() < 4) return instant;
  return std::to_string(std::stoi(instant.substr(0, 4)) + 1) + instant.substr(4);
}

}  // namespace

void ensure_profile_collection(store::Store& store) {
  if (store.collection(kProfileCollection)) return;
  try {
    auto writer = store.replace_collection(profile_collection());
    for (const auto& state : member_states()) {
      const std::string iso3 = state.iso3, fields = "{}";
      core::Value values[2];
      values[0].kind = values[1].kind = core::Value::Kind::Text;
      values[0].text = iso3;
      values[1].text = fields;
      writer->add({}, values);
    }
    writer->commit();
  } catch (const core::OgcError&) {
    // Two nodes' first edits race to create it: one makes it, the other finds it made.
    if (!store.collection(kProfileCollection)) throw;
  }
}

std::vector<std::string> ProfileScope::countries(const edit::FeatureState& feature, std::string& subject) const {
  const auto& p = feature.properties;
  const std::string iso3 = p.contains("iso3") && p["iso3"].is_string() ? p["iso3"].get<std::string>() : "";
  if (!member_state(iso3)) throw core::InvalidValue("iso3", "'iso3' names no ASEAN Member State");
  if (!p.contains("fields") || !p["fields"].is_string())
    throw core::InvalidValue("fields", "'fields' is the profile document as JSON text");
  parse_profile_document(p["fields"].get<std::string>(), fields_);
  subject = "the investment profile of " + iso3;
  return {iso3};
}

const MemberState& require_member_state(const std::string& code, const std::string& parameter) {
  bool ok = code.size() == 3;
  for (char c : code) ok = ok && c >= 'A' && c <= 'Z';
  if (!ok) throw core::InvalidParameter(parameter, "a country is an ISO 3166-1 alpha-3 code (three capital letters)");
  const auto* state = member_state(code);
  if (!state) throw core::NotFound("no investment profile for '" + code + "': profiles are of the ten ASEAN Member States");
  return *state;
}

PublishedProfile ProfileService::profile(const std::string& iso3) {
  require_member_state(iso3, "country");
  PublishedProfile out;
  out.profile.iso3 = iso3;
  const auto collection = store_.collection(kProfileCollection);
  if (!collection) return out;
  core::FeatureQuery query;
  query.collection = collection->id;
  query.equals.push_back({"iso3", iso3});
  query.limit = 10;
  std::vector<ProfileSink::Row> rows;
  ProfileSink sink(rows);
  sink.begin(*collection);
  store_.features(*collection, query, sink);
  if (rows.empty()) return out;
  const auto& row = rows.back();  // the latest, should an approved insert have added a second
  out.fid = row.fid;
  out.profile = from_properties(row.properties, fields_);
  out.profile.iso3 = iso3;
  for (const auto& v : change_sets_.history(*collection, row.fid))
    if (v.change_set && !v.time.empty()) out.last_reviewed = v.time;
  if (!out.last_reviewed.empty()) {
    out.stale_after = twelve_months_after(out.last_reviewed);
    out.stale = now() >= out.stale_after;
  }
  return out;
}

edit::WriteResult ProfileService::submit(const auth::Principal& who, const std::string& iso3, const json& body) {
  require_member_state(iso3, "country");
  if (!store_.collection(kProfileCollection)) {
    // The first edit creates the profiles, once it is known to be allowed and valid:
    // a refused or bad one creates nothing.
    CountryProfile empty;
    empty.iso3 = iso3;
    edit::FeatureState before, after;
    before.properties = to_properties(empty);
    after.properties = to_properties(apply_edit(empty, body, fields_));
    changes_.policy().check_write(who, profile_collection(), &before, &after);
    ensure_profile_collection(store_);
  }
  const auto collection = store_.collection(kProfileCollection);
  if (!collection) throw core::Conflict("the store has no country profiles");
  const auto published = profile(iso3);
  if (!published.fid) throw core::Conflict("the store has no profile feature for " + iso3);
  edit::FeatureState state;
  state.properties = to_properties(apply_edit(published.profile, body, fields_));
  return changes_.replace(who, *collection, published.fid, std::move(state), "", std::nullopt);
}

}  // namespace amis::invest
