#include "core/need.hpp"

#include <array>
#include <utility>

namespace amis::core {
namespace {

template <typename E, std::size_t N>
std::optional<E> find(const std::array<std::pair<E, const char*>, N>& names, std::string_view text) {
  for (const auto& [value, name] : names)
    if (text == name) return value;
  return std::nullopt;
}

template <typename E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return names.front().second;
}

constexpr std::array<std::pair<NeedKind, const char*>, 3> kKinds = {
    {{NeedKind::Dataset, "dataset"}, {NeedKind::Service, "service"}, {NeedKind::DataProblem, "data-problem"}}};
constexpr std::array<std::pair<NeedStatus, const char*>, 7> kStatuses = {{{NeedStatus::New, "new"},
                                                                         {NeedStatus::Triaged, "triaged"},
                                                                         {NeedStatus::Planned, "planned"},
                                                                         {NeedStatus::InProgress, "in-progress"},
                                                                         {NeedStatus::Done, "done"},
                                                                         {NeedStatus::Declined, "declined"},
                                                                         {NeedStatus::Duplicate, "duplicate"}}};
constexpr std::array<std::pair<NeedPriority, const char*>, 4> kPriorities = {
    {{NeedPriority::Low, "low"}, {NeedPriority::Normal, "normal"}, {NeedPriority::High, "high"},
     {NeedPriority::Urgent, "urgent"}}};

}  // namespace

const char* to_string(NeedKind kind) { return name_of(kKinds, kind); }
std::optional<NeedKind> parse_need_kind(std::string_view text) { return find(kKinds, text); }
const char* to_string(NeedStatus status) { return name_of(kStatuses, status); }
std::optional<NeedStatus> parse_need_status(std::string_view text) { return find(kStatuses, text); }
const char* to_string(NeedPriority priority) { return name_of(kPriorities, priority); }
std::optional<NeedPriority> parse_need_priority(std::string_view text) { return find(kPriorities, text); }

bool is_closed(NeedStatus status) {
  return status == NeedStatus::Done || status == NeedStatus::Declined || status == NeedStatus::Duplicate;
}

const std::vector<NeedKind>& need_kinds() {
  static const std::vector<NeedKind> all = {NeedKind::Dataset, NeedKind::Service, NeedKind::DataProblem};
  return all;
}

const std::vector<NeedStatus>& need_statuses() {
  static const std::vector<NeedStatus> all = {NeedStatus::New,  NeedStatus::Triaged,  NeedStatus::Planned,
                                              NeedStatus::InProgress, NeedStatus::Done, NeedStatus::Declined,
                                              NeedStatus::Duplicate};
  return all;
}

}  // namespace amis::core

namespace amis::core {

Need apply(Need need, const NeedTriage& triage) {
  if (triage.status) need.status = *triage.status;
  if (triage.priority) need.priority = *triage.priority;
  if (triage.assignee) need.assignee = *triage.assignee;
  if (triage.resolution) need.resolution = *triage.resolution;
  return need;
}

std::vector<std::string> triage_changes(const Need& before, const NeedTriage& triage) {
  std::vector<std::string> lines;
  auto or_none = [](const std::string& s) { return s.empty() ? std::string("(none)") : s; };
  if (triage.status && *triage.status != before.status)
    lines.push_back(std::string("status: ") + to_string(before.status) + " \u2192 " + to_string(*triage.status));
  if (triage.priority && *triage.priority != before.priority)
    lines.push_back(std::string("priority: ") + to_string(before.priority) + " \u2192 " + to_string(*triage.priority));
  if (triage.assignee && *triage.assignee != before.assignee)
    lines.push_back("assignee: " + or_none(before.assignee) + " \u2192 " + or_none(*triage.assignee));
  if (triage.resolution && *triage.resolution != before.resolution) lines.push_back("resolution changed");
  return lines;
}

}  // namespace amis::core
