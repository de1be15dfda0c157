#pragma once
// The JSON documents of /countries (issue 20): the list of member states'
// profiles, one profile with its live summaries and downloads, and the
// comparison of several, field by field in the field list's order.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "invest/profile_service.hpp"

namespace amis::api::invest_api {

inline constexpr const char* kNoSource = "No citable public source has been entered for this field.";

// A profile's fields by group, every field present: a filled one with its value,
// display text, source and as-of date, an empty one saying it has no source.
nlohmann::json profile_groups(const invest::FieldList& fields, const invest::CountryProfile& profile);
nlohmann::json review_json(const invest::PublishedProfile& published);

nlohmann::json countries_json(const std::string& base, const std::vector<invest::PublishedProfile>& profiles,
                              const invest::FieldList& fields, const std::string& now);

// `summaries` and `datasets` as live_summaries / country_datasets give them.
nlohmann::json country_json(const std::string& base, const invest::PublishedProfile& published,
                            const invest::FieldList& fields, const std::string& now, nlohmann::json summaries,
                            nlohmann::json datasets);

nlohmann::json compare_json(const std::string& base, const std::vector<invest::PublishedProfile>& profiles,
                            const invest::FieldList& fields, const std::string& now);

}  // namespace amis::api::invest_api
