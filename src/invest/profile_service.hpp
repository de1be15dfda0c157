#pragma once
// Country investment profiles over the store (issue 20): read as published,
// edited by submitting change sets (edit::ChangeService, so edit::EditingPolicy
// keeps each member state's editors to their own country by `iso3`, and a
// reviewer approves before anything changes for the public), flagged stale 12
// months after their last approval by the clock the composition root gives.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/account.hpp"
#include "core/clock.hpp"
#include "edit/change_service.hpp"
#include "edit/editing_policy.hpp"
#include "invest/country_profile.hpp"
#include "invest/profile_fields.hpp"
#include "invest/summary_spec.hpp"
#include "store/change_sets.hpp"
#include "store/store.hpp"

namespace amis::invest {

// Creates the `country_profiles` collection with an empty profile for each
// ASEAN Member State unless it exists (at the first edit, so that a store
// without profiles lists no empty collection).
void ensure_profile_collection(store::Store& store);

// What an editor writes into `country_profiles` must be a profile document of
// the field list, of an ASEAN Member State: its iso3 is the only country whose
// editors may write it (EditingPolicy's country property check comes first).
class ProfileScope final : public edit::WriteScope {
 public:
  explicit ProfileScope(const FieldList& fields) : fields_(fields) {}
  std::vector<std::string> countries(const edit::FeatureState& feature, std::string& subject) const override;

 private:
  const FieldList& fields_;
};

// A profile as the public reads it, with its review state.
struct PublishedProfile {
  CountryProfile profile;
  std::int64_t fid = 0;
  std::string last_reviewed;  // RFC 3339 of the last approval; empty: never reviewed
  std::string stale_after;    // 12 months after it; empty: never reviewed
  bool stale = true;          // not approved in the 12 months before now
};

class ProfileService {
 public:
  ProfileService(store::Store& store, store::ChangeSetStore& change_sets, edit::ChangeService& changes,
                 const FieldList& fields, core::Clock clock)
      : store_(store), change_sets_(change_sets), changes_(changes), fields_(fields), clock_(std::move(clock)) {}

  const FieldList& fields() const { return fields_; }
  // RFC 3339 UTC, by the injected clock.
  std::string now() const { return core::format_utc(clock_()); }

  // @throws core::NotFound for a code that is no ASEAN Member State's,
  // core::InvalidParameter for a code that is not three capital letters.
  PublishedProfile profile(const std::string& iso3);

  // Submits an edit of some fields ({"fields": {...}}) as a change set for review.
  // @throws core::InvalidValue, core::Forbidden (another country's editor), core::NotFound.
  edit::WriteResult submit(const auth::Principal& who, const std::string& iso3, const nlohmann::json& body);

 private:
  store::Store& store_;
  store::ChangeSetStore& change_sets_;
  edit::ChangeService& changes_;
  const FieldList& fields_;
  core::Clock clock_;
};

// Checks a country code from a request: three capital letters (else
// core::InvalidParameter on `parameter`), an ASEAN Member State (else core::NotFound).
const MemberState& require_member_state(const std::string& code, const std::string& parameter);

}  // namespace amis::invest
