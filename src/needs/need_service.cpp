#include "needs/need_service.hpp"

#include "core/error.hpp"
#include "core/feature_sink.hpp"

namespace amis::needs {
namespace {

// Counts the features a lookup pushes (whether the feature exists).
class FoundSink final : public core::FeatureSink {
 public:
  void begin(const core::Collection&) override {}
  void feature(const core::FeatureView&) override { found = true; }
  void end() override {}
  bool found = false;
};

core::NotFound no_need(std::int64_t id) { return core::NotFound("no need " + std::to_string(id)); }

}  // namespace

void NeedService::check_link(const NeedSubmission& s) {
  if (s.collection.empty()) return;
  const auto c = features_.collection(s.collection);
  if (!c) throw core::InvalidValue("collection", "no collection '" + s.collection + "'");
  if (!s.feature) return;
  FoundSink sink;
  if (!features_.feature(*c, *s.feature, sink) || !sink.found)
    throw core::InvalidValue("featureId", "collection '" + c->id + "' has no feature " + std::to_string(*s.feature));
}

void NeedService::check_assignee(const std::string& name) {
  if (name.empty()) return;
  const auto user = accounts_.user(name);
  if (!user || user->disabled || !edit::EditingPolicy::is_expert(user->role))
    throw core::InvalidValue("assignee", "'assignee' must be an enabled account of the expert team (a reviewer or "
                                         "an administrator)");
}

core::NeedFilter NeedService::scoped(const auth::Principal& who, core::NeedFilter filter) const {
  if (!edit::EditingPolicy::is_expert(who.role)) filter.submitter = who.user;  // not the expert team: their own only
  return filter;
}

core::Need NeedService::submit(const auth::Principal& who, NeedSubmission s) {
  policy_.check_need_submit(who, s.country);
  check_link(s);
  core::NeedFilter mine;
  mine.submitter = who.user;
  if (needs_.count_needs(mine) >= kMaxNeedsPerSubmitter)
    throw core::Conflict("an account may have at most " + std::to_string(kMaxNeedsPerSubmitter) + " needs");
  core::Need need;
  need.kind = s.kind;
  need.title = std::move(s.title);
  need.description = std::move(s.description);
  need.collection = std::move(s.collection);
  need.feature = s.feature;
  need.submitter = who.user;
  need.country = std::move(s.country);
  return needs_.add_need(need);
}

core::Need NeedService::read(const auth::Principal& who, std::int64_t id) {
  auto need = needs_.need(id);
  if (!need || !policy_.may_read_need(who, need->submitter)) throw no_need(id);
  return *need;
}

std::vector<core::NeedNote> NeedService::notes(const auth::Principal& who, std::int64_t id) {
  read(who, id);
  return needs_.need_notes(id);
}

std::vector<core::Need> NeedService::list(const auth::Principal& who, core::NeedFilter filter, std::int64_t* total) {
  filter = scoped(who, std::move(filter));
  if (total) *total = needs_.count_needs(filter);
  return needs_.needs(filter);
}

void NeedService::each(const auth::Principal& who, core::NeedFilter filter,
                       const std::function<void(const core::Need&)>& each) {
  filter = scoped(who, std::move(filter));
  std::int64_t left = filter.limit;
  filter.offset = 0;
  while (left > 0) {
    filter.limit = std::min<std::int64_t>(left, 500);
    const auto page = needs_.needs(filter);
    for (const auto& n : page) each(n);
    if (static_cast<std::int64_t>(page.size()) < filter.limit) return;
    left -= filter.limit;
    filter.before = page.back().id;
  }
}

core::Need NeedService::triage(const auth::Principal& who, std::int64_t id, const core::NeedTriage& triage) {
  policy_.check_need_triage(who, "triaging needs");
  if (triage.assignee) check_assignee(*triage.assignee);
  const auto before = needs_.need(id);
  if (!before) throw no_need(id);
  const auto after = core::apply(*before, triage);
  if (core::is_closed(after.status) && after.resolution.empty())
    throw core::InvalidValue("resolution", std::string("a need ") + core::to_string(after.status) +
                                               " says why in its 'resolution'");
  auto stored = needs_.triage_need(id, triage, who.user);
  if (!stored) throw no_need(id);
  return *stored;
}

core::NeedNote NeedService::comment(const auth::Principal& who, std::int64_t id, const std::string& text) {
  policy_.check_need_triage(who, "commenting on needs");
  if (!needs_.need(id)) throw no_need(id);
  if (needs_.count_need_comments(id) >= kMaxCommentsPerNeed)
    throw core::Conflict("need " + std::to_string(id) + " has " + std::to_string(kMaxCommentsPerNeed) +
                         " comments already");
  auto note = needs_.add_need_comment(id, who.user, text);
  if (!note) throw no_need(id);
  return *note;
}

}  // namespace amis::needs
