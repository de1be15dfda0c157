#pragma once
// A country profile's PDF (issue 20) from the profile's JSON document, stamped
// with the time it was made from live data.
#include <string>

#include <nlohmann/json.hpp>

namespace amis::api::invest_api {

// @throws core::ServerError when the PDF cannot be written.
std::string country_pdf(const nlohmann::json& country);

}  // namespace amis::api::invest_api
