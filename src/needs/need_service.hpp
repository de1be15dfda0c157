#pragma once
// The needs and requirements register (issue 18, work plan 4.3): signed-in
// accounts submit needs; the expert team (reviewers and administrators) sees
// and triages them all, each submitter sees their own, and anyone sees the
// counts. Who may do what is edit::EditingPolicy's; every change is audited by
// the store in the change's transaction.
#include <cstdint>
#include <functional>
#include <vector>

#include "auth/account.hpp"
#include "core/need.hpp"
#include "edit/editing_policy.hpp"
#include "needs/need_input.hpp"
#include "store/accounts.hpp"
#include "store/need_store.hpp"
#include "store/store.hpp"

namespace amis::needs {

// Bounds of the register (the store holds no more than these).
inline constexpr std::int64_t kMaxNeedsPerSubmitter = 1000;
inline constexpr std::int64_t kMaxCommentsPerNeed = 500;

class NeedService {
 public:
  // `features`: the collections as the caller of the request may read them (a
  // need links only to what its submitter can see).
  NeedService(store::NeedStore& needs, store::Store& features, store::AccountStore& accounts,
              const edit::EditingPolicy& policy)
      : needs_(needs), features_(features), accounts_(accounts), policy_(policy) {}

  // @throws core::Forbidden (another member state), core::InvalidValue (a
  // collection or feature that does not exist, too many needs), core::Conflict.
  core::Need submit(const auth::Principal& who, NeedSubmission submission);

  // A need the caller may read. @throws core::NotFound (none, or another's).
  core::Need read(const auth::Principal& who, std::int64_t id);
  std::vector<core::NeedNote> notes(const auth::Principal& who, std::int64_t id);

  // The needs of the filter the caller may see: an editor only their own
  // (whatever `submitter` the filter names). `total` receives the count.
  std::vector<core::Need> list(const auth::Principal& who, core::NeedFilter filter, std::int64_t* total = nullptr);
  // Every need of the filter the caller may see, newest first, handed to `each`
  // a page at a time (the CSV export: flat memory whatever the register's size).
  void each(const auth::Principal& who, core::NeedFilter filter, const std::function<void(const core::Need&)>& each);

  // @throws core::Forbidden (not the expert team), core::NotFound, core::InvalidValue
  // (an assignee outside the expert team; closing without a resolution).
  core::Need triage(const auth::Principal& who, std::int64_t id, const core::NeedTriage& triage);
  core::NeedNote comment(const auth::Principal& who, std::int64_t id, const std::string& text);

  // Needs per kind, status and member state: no names, no titles.
  std::vector<core::NeedCount> counts() { return needs_.need_counts(); }

 private:
  void check_link(const NeedSubmission& submission);
  void check_assignee(const std::string& name);
  core::NeedFilter scoped(const auth::Principal& who, core::NeedFilter filter) const;

  store::NeedStore& needs_;
  store::Store& features_;
  store::AccountStore& accounts_;
  const edit::EditingPolicy& policy_;
};

}  // namespace amis::needs
