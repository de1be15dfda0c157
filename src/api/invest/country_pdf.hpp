#pragma once
// A country profile's PDF (issue 20) from the profile's JSON document, stamped
// with the time it was made from live data, in the request's language (its
// labels, fields' names and code lists' values; values and citations as entered).
#include <string>

#include <nlohmann/json.hpp>

#include "api/invest/countries_html.hpp"

namespace amis::api::invest_api {

// @throws core::ServerError when the PDF cannot be written.
std::string country_pdf(const nlohmann::json& country, const PageLanguage& language);

}  // namespace amis::api::invest_api
