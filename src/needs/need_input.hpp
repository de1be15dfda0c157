#pragma once
// The JSON bodies of the needs register (issue 18), read into typed requests:
//   submit  {"kind": "data-problem", "title": "...", "description": "...",
//            "collection": "coal_mines", "featureId": 12, "country": "IDN"}
//   triage  {"status": "planned", "priority": "high", "assignee": "expert1", "resolution": "..."}
//   comment {"text": "..."}
// Unknown members, wrong types and values over their bounds are refused with
// core::InvalidValue (400); whether a collection or an account exists is the
// service's to check.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/need.hpp"

namespace amis::needs {

// Bounds of what a need holds (bytes of UTF-8).
inline constexpr std::size_t kMaxTitle = 200;
inline constexpr std::size_t kMaxText = 10000;  // description, resolution, comment
inline constexpr std::size_t kMaxName = 100;    // collection, account, country

struct NeedSubmission {
  core::NeedKind kind = core::NeedKind::Dataset;
  std::string title;
  std::string description;
  std::string collection;               // "" for none
  std::optional<std::int64_t> feature;  // with a collection only
  std::string country;                  // "" for the submitter's own
};

// @throws core::InvalidValue, core::ParsingFailed.
NeedSubmission read_submission(const nlohmann::json& body);
// @throws core::InvalidValue (also for a body that changes nothing).
core::NeedTriage read_triage(const nlohmann::json& body);
// The comment's text. @throws core::InvalidValue.
std::string read_comment(const nlohmann::json& body);

}  // namespace amis::needs
