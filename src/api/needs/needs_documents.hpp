#pragma once
// The documents of the needs API (issue 18): a need and its notes as JSON, the
// list's page, the CSV rows of an export (formula-safe cells) and the public
// summary counts.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/need.hpp"

namespace amis::api::needs {

nlohmann::json need_json(const std::string& base, const core::Need& need);
nlohmann::json note_json(const core::NeedNote& note);
// The page: needs, numberMatched, numberReturned and next/prev links.
nlohmann::json needs_page_json(const std::string& base, const std::vector<core::Need>& needs, std::int64_t matched,
                               std::int64_t offset, std::int64_t limit, const std::string& query);

// The export's first line, and one need's line (CRLF ended).
std::string needs_csv_header();
std::string need_csv_row(const core::Need& need);

// The public counts: by kind and status, by member state ("" regional), total.
nlohmann::json summary_json(const std::vector<core::NeedCount>& counts);
// kind,status,country,needs lines.
std::string summary_csv(const std::vector<core::NeedCount>& counts);

}  // namespace amis::api::needs
