#pragma once
// Who may change what (issue 6), decided here and nowhere else for every write
// path: an editor writes only features of their own country (by the
// collection's country property, `iso3` unless configured) and may not move a
// feature to another country; reviewers and administrators write any country;
// change sets are approved by a reviewer other than their author, or by an
// administrator.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/account.hpp"
#include "catalog/record.hpp"
#include "core/collection.hpp"
#include "edit/change_set.hpp"

namespace amis::edit {

// For a collection whose features are a responsibility of some countries only
// (a work-plan activity's progress reports: its lead, co-lead and country
// coordinator), which countries' editors may write a feature. check_write asks
// it after the country property's check, so the rule stays in this one place.
class WriteScope {
 public:
  virtual ~WriteScope() = default;
  // The countries whose editors may write `feature`, and what they are
  // responsible for ("activity 4.2 of ASOMM3-WP-2022-2025"), for the refusal.
  // @throws core::InvalidValue when the feature names nothing known.
  virtual std::vector<std::string> countries(const FeatureState& feature, std::string& subject) const = 0;
};

struct CollectionRules {
  std::string country_property = "iso3";
  std::shared_ptr<const WriteScope> scope;  // none: the country property decides alone
  // Roles whose writes are published at once (still recorded as change sets
  // approved by their author).
  std::vector<auth::Role> direct_publish;
  // Non-empty for a collection AMIS derives itself (the work plans' activities):
  // what it is derived from; nobody writes it through an edit (409).
  std::string derived_from;
  // For a coverage: the member state whose editors replace its grid, as
  // configured before the store kept it (RasterLayer::country); serve copies it
  // into the store for a coverage that has none there (adopt_configured_countries).
  std::string country;
};

struct EditingRules {
  CollectionRules defaults;
  std::map<std::string, CollectionRules, std::less<>> collections;
  // The collection of country boundaries (with the same country property)
  // that reviewers' validation checks edited features against.
  std::string boundaries = "countries";
  // Dataset uploads read at the same time; more are answered 503 (an upload
  // holds its features in memory while it is planned).
  int concurrent_uploads = 2;
  // The national node a collection is published from (cascaded or mirrored,
  // issue 16), empty for none: such a collection is read-only here (409).
  std::function<std::string(std::string_view collection)> published_from;

  const CollectionRules& rules(std::string_view collection) const;
};

class EditingPolicy {
 public:
  explicit EditingPolicy(EditingRules rules) : rules_(std::move(rules)) {}

  const EditingRules& rules() const { return rules_; }

  // Checks a write of `before` (the published feature; null for an insert) into
  // `after` (null for a delete). An editor's new feature without a country gets
  // the editor's. @throws core::Forbidden.
  void check_write(const auth::Principal& who, const core::Collection& collection, const FeatureState* before,
                   FeatureState* after) const;

  // The same for a catalogue record (its `country`): an editor's new record
  // without a country gets the editor's; regional records (no country) are
  // reviewers' and administrators'. @throws core::Forbidden.
  void check_record_write(const auth::Principal& who, const catalog::Record* before, catalog::Record* after) const;

  // The same for replacing a coverage's grid: an editor only of a coverage of
  // their own member state (`country`, the store's RasterLayer::country; empty:
  // a regional coverage). @throws core::Forbidden.
  void check_grid_write(const auth::Principal& who, std::string_view coverage, const std::string& country) const;

  bool publishes_directly(const auth::Principal& who, std::string_view collection) const;

  // The author may add to, submit and withdraw their change set. @throws core::Forbidden.
  void check_author(const auth::Principal& who, const ChangeSet& change_set) const;
  // Approving and rejecting. @throws core::Forbidden.
  void check_reviewer(const auth::Principal& who, const ChangeSet& change_set) const;
  // Reading a change set: its author, reviewers and administrators.
  bool may_read(const auth::Principal& who, const ChangeSet& change_set) const;

  // The needs register (issue 18). Submitting: any signed-in account; an
  // editor's need is of their own member state (`country` empty becomes theirs,
  // another is refused as for features); reviewers and administrators name any
  // member state or none (regional). @throws core::Forbidden, core::InvalidValue.
  void check_need_submit(const auth::Principal& who, std::string& country) const;
  // Triage and comments: the expert team (reviewers and administrators). @throws core::Forbidden.
  void check_need_triage(const auth::Principal& who, const char* action) const;
  // Reading a need: its submitter and the expert team.
  bool may_read_need(const auth::Principal& who, std::string_view submitter) const;
  // Whether the account may be a need's assignee: the expert team.
  static bool is_expert(auth::Role role) { return auth::is_expert(role); }
  // @throws core::Forbidden for a node account (issue 16).
  static void refuse_node(const auth::Principal& who);

 private:
  // An editor keeps `before`'s and `after`'s country (null: none) to their own.
  void check_countries(const auth::Principal& who, std::string_view what, const std::string* before,
                       const std::string* after, std::string_view property) const;

  EditingRules rules_;
};

}  // namespace amis::edit
