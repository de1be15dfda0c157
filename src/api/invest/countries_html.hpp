#pragma once
// The HTML pages of /countries (issue 20), from the same JSON documents the API
// answers with, so a page never shows what the JSON does not say.
#include <string>

#include <nlohmann/json.hpp>

namespace amis::api::invest_api {

std::string html_countries(const std::string& base, const nlohmann::json& doc);
std::string html_country(const std::string& base, const nlohmann::json& doc);
// The same profile for printing: no navigation, the date stamp at the top.
std::string html_country_print(const std::string& base, const nlohmann::json& doc);
std::string html_compare(const std::string& base, const nlohmann::json& doc);

}  // namespace amis::api::invest_api
