#include "workplan/evidence_retention.hpp"

#include <set>
#include <utility>

#include "workplan/progress_service.hpp"

namespace amis::workplan {
namespace {

using Cited = std::set<std::pair<std::string, std::int64_t>>;

// Adds every (plan, id) of a ".../workplans/{plan}/evidence/{id}" that `text` holds.
void add_citations(const std::string& text, Cited& cited) {
  static const std::string kPrefix = "/workplans/", kMiddle = "/evidence/";
  for (auto at = text.find(kPrefix); at != std::string::npos; at = text.find(kPrefix, at + 1)) {
    const auto plan_start = at + kPrefix.size();
    const auto slash = text.find('/', plan_start);
    if (slash == std::string::npos || slash - plan_start > 64) continue;
    if (text.compare(slash, kMiddle.size(), kMiddle) != 0) continue;
    std::int64_t id = 0;
    std::size_t i = slash + kMiddle.size(), digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 18; ++i, ++digits) id = id * 10 + (text[i] - '0');
    if (digits > 0) cited.emplace(text.substr(plan_start, slash - plan_start), id);
  }
}

// The reports under way: change sets of the progress collection in draft or submitted.
void add_pending(store::ChangeSetStore& change_sets, Cited& cited) {
  for (const auto state : {edit::ChangeSetState::Draft, edit::ChangeSetState::Submitted}) {
    store::ChangeSetFilter filter;
    filter.state = state;
    filter.collection = kProgressCollection;
    filter.limit = 1000;
    for (;; filter.offset += filter.limit) {
      const auto page = change_sets.change_sets(filter);
      for (const auto& cs : page)
        for (const auto& change : change_sets.changes(cs.id)) add_citations(change.after.properties.dump(), cited);
      if (static_cast<std::int64_t>(page.size()) < filter.limit) break;
    }
  }
}

}  // namespace

EvidenceRetention forget_uncited_evidence(store::Store& store, store::WorkPlanStore& plans,
                                          store::ChangeSetStore& change_sets, const std::string& uploaded_before) {
  EvidenceRetention out;
  const auto candidates = plans.documents_uploaded_before(uploaded_before, 10000);
  out.examined = static_cast<std::int64_t>(candidates.size());
  if (candidates.empty()) return out;
  Cited cited;
  for (const auto& summary : plans.plans()) {
    const auto plan = plans.plan(summary.id);
    if (!plan) continue;
    for (const auto& r : approved_reports(store, *plan)) add_citations(to_json(r).dump(), cited);
    for (const auto& m : plans.meetings(plan->id)) add_citations(to_json(m.state).dump(), cited);
  }
  add_pending(change_sets, cited);
  for (const auto& d : candidates)
    if (!cited.count({d.plan, d.id}) && plans.delete_document(d.id)) out.removed.push_back(d.id);
  return out;
}

}  // namespace amis::workplan
