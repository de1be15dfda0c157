#pragma once
// The needs and requirements register (issue 18) in the store: the needs, their
// comments and history (amis_needs, amis_need_notes), each change written with
// its audit entry (amis_audit) in one transaction. Who may do what is decided
// before (needs/need_service.hpp); the store checks nothing of that.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/need.hpp"

namespace amis::store {

class NeedStore {
 public:
  virtual ~NeedStore() = default;

  // Adds a need: the store gives it its id, created = updated = now and status
  // new, and audits "submit need" by its submitter. Returns it as stored.
  virtual core::Need add_need(const core::Need& need) = 0;

  virtual std::optional<core::Need> need(std::int64_t id) = 0;

  // The needs the filter selects, newest (highest id) first, from `offset`,
  // at most `limit`.
  virtual std::vector<core::Need> needs(const core::NeedFilter& filter) = 0;
  // How many the filter selects (without limit and offset).
  virtual std::int64_t count_needs(const core::NeedFilter& filter) = 0;

  // Applies a triage to the need as it is in the transaction, writes each
  // change as a history note (core::triage_changes) and audits "triage need" by
  // `actor`. Returns the need after it; nullopt when there is no such need. A
  // triage that changes nothing writes nothing.
  virtual std::optional<core::Need> triage_need(std::int64_t id, const core::NeedTriage& triage,
                                                const std::string& actor) = 0;

  // Appends a comment (and audits "comment need"); nullopt when there is no such need.
  virtual std::optional<core::NeedNote> add_need_comment(std::int64_t id, const std::string& author,
                                                         const std::string& text) = 0;
  // A need's comments and history, oldest first.
  virtual std::vector<core::NeedNote> need_notes(std::int64_t id) = 0;
  virtual std::int64_t count_need_comments(std::int64_t id) = 0;

  // Needs per kind, status and country (the public summary).
  virtual std::vector<core::NeedCount> need_counts() = 0;
};

}  // namespace amis::store
