#pragma once
// The needs and requirements register (issue 18, work plan 4.3): what member
// states' editors, reviewers and other signed-in users say AMIS still lacks — a
// dataset, a service or feature of the system, or a data problem in a feature —
// and how the expert team triages it. A need names its submitter (an account)
// and that account's member state; the public sees only counts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amis::core {

enum class NeedKind { Dataset, Service, DataProblem };
enum class NeedStatus { New, Triaged, Planned, InProgress, Done, Declined, Duplicate };
enum class NeedPriority { Low, Normal, High, Urgent };

// "dataset", "service", "data-problem".
const char* to_string(NeedKind kind);
std::optional<NeedKind> parse_need_kind(std::string_view text);
// "new", "triaged", "planned", "in-progress", "done", "declined", "duplicate".
const char* to_string(NeedStatus status);
std::optional<NeedStatus> parse_need_status(std::string_view text);
// "low", "normal", "high", "urgent".
const char* to_string(NeedPriority priority);
std::optional<NeedPriority> parse_need_priority(std::string_view text);

// Done, declined and duplicate: the need is closed and says why in its resolution.
bool is_closed(NeedStatus status);

const std::vector<NeedKind>& need_kinds();
const std::vector<NeedStatus>& need_statuses();

struct Need {
  std::int64_t id = 0;
  NeedKind kind = NeedKind::Dataset;
  std::string title;
  std::string description;
  std::string collection;                // the collection it is about, "" for none
  std::optional<std::int64_t> feature;   // the feature of `collection` (a data problem)
  std::string submitter;                 // account name
  std::string country;                   // the submitter's member state (ISO alpha-3), "" for regional
  std::string created;                   // RFC 3339 UTC, set by the store
  std::string updated;
  NeedStatus status = NeedStatus::New;
  NeedPriority priority = NeedPriority::Normal;
  std::string assignee;                  // an account of the expert team, "" for none
  std::string resolution;
  std::int64_t comments = 0;             // how many comments it has (read only)
};

// A comment of the expert team, or a line of the need's history (a triage's
// changes, "status: new → planned"), in the order they were written.
struct NeedNote {
  enum class Kind { Comment, Change };
  std::int64_t id = 0;
  std::int64_t need = 0;
  std::string time;
  std::string author;
  Kind kind = Kind::Comment;
  std::string text;
};

// What the expert team changes in a triage; nullopt: left as it is.
struct NeedTriage {
  std::optional<NeedStatus> status;
  std::optional<NeedPriority> priority;
  std::optional<std::string> assignee;    // "" removes the assignee
  std::optional<std::string> resolution;
};

struct NeedFilter {
  std::optional<std::string> submitter;   // only this account's needs
  std::optional<NeedKind> kind;
  std::optional<NeedStatus> status;
  std::optional<std::string> country;
  std::optional<std::string> assignee;
  std::optional<std::string> collection;
  std::optional<std::int64_t> before;     // only ids below (keyset paging of exports)
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

// The public summary: how many needs of a kind, status and country (no names).
struct NeedCount {
  NeedKind kind = NeedKind::Dataset;
  NeedStatus status = NeedStatus::New;
  std::string country;
  std::int64_t needs = 0;
};

}  // namespace amis::core

namespace amis::core {

// The need after `triage` (updated is left to the store).
Need apply(Need need, const NeedTriage& triage);
// What `triage` changes of `before`, one line each ("status: new → planned",
// "assignee: (none) → expert1", "resolution changed"); empty when nothing.
std::vector<std::string> triage_changes(const Need& before, const NeedTriage& triage);

}  // namespace amis::core
