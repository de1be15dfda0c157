#include "edit/collection_summary.hpp"

#include "core/wkb.hpp"

namespace amis::edit {
namespace {

void widen(std::optional<std::string>& first, std::optional<std::string>& last, const std::optional<std::string>& t) {
  if (!t) return;
  if (!first || *t < *first) first = t;
  if (!last || *t > *last) last = t;
}

bool contains(const core::Envelope& outer, const core::Envelope& inner) {
  return inner.min_x >= outer.min_x && inner.min_y >= outer.min_y && inner.max_x <= outer.max_x &&
         inner.max_y <= outer.max_y;
}

}  // namespace

SummaryPart summary_part(const FeatureState& state, const std::optional<std::string>& temporal_property) {
  SummaryPart part;
  if (!state.wkb.empty()) part.envelope = core::wkb_envelope(state.wkb);
  if (temporal_property && state.properties.is_object()) {
    const auto it = state.properties.find(*temporal_property);
    if (it != state.properties.end() && it->is_string()) part.time = it->get<std::string>();
  }
  return part;
}

void SummaryChanges::add(const SummaryPart& part) {
  added_.expand(part.envelope);
  widen(added_first_, added_last_, part.time);
}

void SummaryChanges::remove(const SummaryPart& part) {
  removed_.expand(part.envelope);
  widen(removed_first_, removed_last_, part.time);
}

void SummaryChanges::inserted(std::int64_t fid, const SummaryPart& now) {
  ++count_;
  written_.insert(fid);
  add(now);
}

void SummaryChanges::replaced(std::int64_t fid, const SummaryPart& before, const SummaryPart& now) {
  if (!written_.insert(fid).second) rewritten_ = true;
  remove(before);
  add(now);
}

void SummaryChanges::deleted(std::int64_t fid, const SummaryPart& before) {
  if (written_.count(fid)) rewritten_ = true;
  --count_;
  remove(before);
}

SummaryUpdate update_summary(const CollectionSummary& before, const SummaryChanges& c) {
  SummaryUpdate u;
  u.summary.count = before.count + c.count_;
  const core::Envelope& old = before.extent;
  const bool removed_outside = !c.removed_.empty() && (old.empty() || !contains(old, c.removed_));
  const bool time_outside = c.removed_first_ && (!before.first || *c.removed_first_ < *before.first ||
                                                 *c.removed_last_ > *before.last);
  if (u.summary.count <= 0 || c.rewritten_ || removed_outside || time_outside) {
    u.recompute_all = true;
    return u;
  }
  u.summary.extent = old;
  u.summary.extent.expand(c.added_);
  if (!c.removed_.empty()) {
    const core::Envelope& a = c.added_;
    const core::Envelope& r = c.removed_;
    // A side moves inwards only when a removed geometry was on it and no added one reaches it.
    u.recompute_side = {r.min_x <= old.min_x && !(a.min_x <= old.min_x), r.min_y <= old.min_y && !(a.min_y <= old.min_y),
                        r.max_x >= old.max_x && !(a.max_x >= old.max_x), r.max_y >= old.max_y && !(a.max_y >= old.max_y)};
  }
  u.summary.first = before.first;
  u.summary.last = before.last;
  widen(u.summary.first, u.summary.last, c.added_first_);
  widen(u.summary.first, u.summary.last, c.added_last_);
  if (c.removed_first_) {
    const bool first_moves = *c.removed_first_ <= *before.first && !(c.added_first_ && *c.added_first_ <= *before.first);
    const bool last_moves = *c.removed_last_ >= *before.last && !(c.added_last_ && *c.added_last_ >= *before.last);
    u.recompute_times = first_moves || last_moves;
  }
  return u;
}

}  // namespace amis::edit
