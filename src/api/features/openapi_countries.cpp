// OpenAPI: the country investment profiles (api/invest, issue 20).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

const char* kTag = "Country profiles";
const json kObject = {{"type", "object"}};

json iso3() {
  return path_parameter("iso3", "An ASEAN Member State's ISO 3166-1 alpha-3 code, such as IDN.",
                        {{"type", "string"}, {"pattern", "^[A-Z]{3}$"}});
}

// The pages' language (HTML and PDF); the JSON is the same in every language.
json lang() {
  return query_parameter("lang",
                         "The language of the HTML and PDF pages: en, zh, ja or ko (the portal's translations); "
                         "without it, the best of Accept-Language, else English",
                         {{"type", "string"}, {"enum", {"en", "zh", "ja", "ko"}}});
}

}  // namespace

void add_countries_paths(json& paths, json& /*components*/) {
  paths["/countries"] = {{"get", negotiated_page("getCountries", "The member states' investment profiles, with their "
                                                                 "review state", kTag, json::array({lang()}), {400, 406})}};
  json fields = operation("getProfileFields", "The profiles' fields: groups, keys, types and English labels", kTag,
                          json::array(), error_responses({400, 406}));
  fields["responses"]["200"] = body_response("The field list", "application/json", kObject);
  paths["/countries/fields"] = {{"get", fields}};
  paths["/countries/compare"] = {
      {"get", negotiated_page("compareCountries", "2 to 10 member states' profiles, field by field", kTag,
                              json::array({query_parameter("countries", "2 to 10 ISO 3166-1 alpha-3 codes, "
                                                                        "comma-separated, such as IDN,PHL,VNM",
                                                           {{"type", "string"}}, true),
                                           lang()}),
                              {400, 404, 406})}};
  json get = operation("getCountry",
                       "A member state's investment profile (every value with its source and as-of date), its review "
                       "state, live summaries of its published data and its downloads",
                       kTag,
                       json::array({iso3(), query_parameter("f", "json, html or pdf (the profile as a PDF, stamped "
                                                                 "with its date)",
                                                            {{"type", "string"}, {"enum", {"json", "html", "pdf"}}}),
                                    lang()}),
                       error_responses({400, 404, 406}));
  get["responses"]["200"] = body_response("The profile", "application/json", kObject);
  get["responses"]["200"]["content"]["text/html"] = {{"schema", {{"type", "string"}}}};
  get["responses"]["200"]["content"]["application/pdf"] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  json patch = operation("editCountry",
                         "Submits an edit of some fields as a change set for review (the member state's editors, "
                         "reviewers and administrators): {\"fields\": {key: {value, source, asOf} | null}}",
                         kTag, json::array({iso3()}), error_responses({400, 401, 403, 404, 409, 415}));
  patch["requestBody"] = {{"required", true},
                          {"content", {{"application/json", {{"schema", {{"type", "object"}, {"required", {"fields"}}}}}}}}};
  patch["responses"]["202"] = body_response("The change set, submitted for review", "application/json", kObject);
  patch["responses"]["200"] = body_response("The change set, published at once", "application/json", kObject);
  patch["security"] = signed_in(true);
  paths["/countries/{iso3}"] = {{"get", get}, {"patch", patch}};
  json print = operation("printCountry", "The profile as a printable HTML page stamped with its date", kTag,
                         json::array({iso3(), lang()}), error_responses({400, 404}));
  print["responses"]["200"] = body_response("The printable page", "text/html", {{"type", "string"}});
  paths["/countries/{iso3}/print"] = {{"get", print}};
}

}  // namespace amis::api::features::oas
