#pragma once
// The live indicators of activities 4.2 and 4.3 (issue 19) as one row per ASEAN member
// state, for the CSV and the PDF: whether the state updated its database in the last 90
// days, its approved change sets in the last 365 days, and the use of its datasets in the
// last 365 days (requests and features returned, from the usage statistics).
#include <string>

#include <nlohmann/json.hpp>

namespace amis::api::workplan_api {

// From the live-indicators document (live_json with activity4.3.utilization): one object
// per member state with country, updating90Days, approvedChangeSets365Days, lastApproved,
// and, when the usage figures are available, datasets, requests, features and bytes.
nlohmann::json live_state_rows(const nlohmann::json& live);

// The rows as CSV (RFC 4180, CRLF): the columns of kLiveCsvColumns, empty usage columns when
// the usage statistics are not available.
std::string live_csv(const nlohmann::json& live);

// The rows as a printable PDF with the 4.2 rate and the period. @throws core::ServerError.
std::string live_pdf(const std::string& plan_title, const nlohmann::json& live);

}  // namespace amis::api::workplan_api
