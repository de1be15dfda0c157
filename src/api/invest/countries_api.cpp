#include "api/invest/countries_api.hpp"

#include <algorithm>

#include "api/common/exception_response.hpp"
#include "api/common/json_exchange.hpp"
#include "api/common/negotiation.hpp"
#include "api/invest/countries_documents.hpp"
#include "api/invest/countries_html.hpp"
#include "api/invest/country_pdf.hpp"
#include "core/error.hpp"
#include "invest/live_summaries.hpp"

namespace amis::api::invest_api {
namespace {

using nlohmann::json;
constexpr const char* kHtml = "text/html; charset=utf-8";

// A page's headers: its language, and that Accept-Language chose it.
std::vector<std::pair<std::string, std::string>> language_headers(const PageLanguage& l) {
  return {{"Content-Language", l.language.html_lang}, {"Vary", "Accept, Accept-Language, Authorization, Cookie"}};
}

bool wants_pdf(const http::Request& request) {
  auto f = request.param("f");
  return f && *f == "pdf";
}

}  // namespace

std::vector<std::string> parse_country_list(std::string_view text) {
  if (text.size() > 100) throw core::InvalidParameter("countries", "2 to 10 ISO 3166-1 alpha-3 codes, comma-separated");
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string code(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    invest::require_member_state(code, "countries");
    if (std::find(out.begin(), out.end(), code) != out.end())
      throw core::InvalidParameter("countries", code + " is named twice");
    out.push_back(code);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (out.size() < 2 || out.size() > 10)
    throw core::InvalidParameter("countries", "a comparison is of 2 to 10 member states");
  return out;
}

void CountriesApi::register_routes(http::Router& router) {
  auto bind = [this](void (CountriesApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("GET", "/countries", bind(&CountriesApi::list));
  router.add("GET", "/countries/fields", bind(&CountriesApi::fields));
  router.add("GET", "/countries/compare", bind(&CountriesApi::compare));
  router.add("GET", "/countries/{iso3}", bind(&CountriesApi::country));
  router.add("PATCH", "/countries/{iso3}", bind(&CountriesApi::edit));
  router.add("GET", "/countries/{iso3}/print", bind(&CountriesApi::print));
}

std::string CountriesApi::base(const http::Request& request) const {
  return http::base_url(request, options_.base_url);
}

PageLanguage CountriesApi::page_language(const http::Request& request) const {
  const auto asked = request.param("lang");
  const std::string code = asked ? std::string(*asked) : std::string();
  const auto& language = core::choose_language(asked ? &code : nullptr, request.header("accept-language"));
  return {translations_, language, asked ? "lang=" + code : std::string()};
}

json CountriesApi::country_document(const std::string& b, const std::string& iso3) {
  const auto published = profiles_.profile(iso3);
  auto doc = country_json(b, published, profiles_.fields(), profiles_.now(),
                          invest::live_summaries(store_, options_.summaries, iso3, options_.country_property),
                          invest::country_datasets(store_, iso3, options_.country_property, invest::kProfileCollection));
  json records = json::array();
  if (options_.catalog)
    for (auto& r : invest::country_records(*options_.catalog, iso3, 100)) {
      r["href"] = b + "/collections/catalog/items/" + r["id"].get<std::string>();
      records.push_back(std::move(r));
    }
  doc["catalogueRecords"] = std::move(records);
  return doc;
}

void CountriesApi::list(http::Request& request, http::Response& response) {
  only_params(request, {"lang"});
  const auto format = negotiate(request);
  const auto language = page_language(request);
  std::vector<invest::PublishedProfile> all;
  for (const auto& s : invest::member_states()) all.push_back(profiles_.profile(s.iso3));
  const auto b = base(request);
  const auto doc = countries_json(b, all, profiles_.fields(), profiles_.now());
  if (format == Format::Html)
    return response.send(200, kHtml, html_countries(b, doc, language), language_headers(language));
  send_json(response, 200, doc);
}

void CountriesApi::fields(http::Request& request, http::Response& response) {
  only_params(request, {});
  if (negotiate(request) == Format::Html) throw core::NotAcceptable("the field list is JSON");
  send_json(response, 200, {{"groups", invest::to_json(profiles_.fields())}});
}

void CountriesApi::compare(http::Request& request, http::Response& response) {
  only_params(request, {"countries", "lang"});
  const auto language = page_language(request);
  auto text = request.param("countries");
  if (!text) throw core::InvalidParameter("countries", "name 2 to 10 member states, e.g. countries=IDN,PHL,VNM");
  const auto codes = parse_country_list(*text);
  const auto format = negotiate(request);
  std::vector<invest::PublishedProfile> profiles;
  for (const auto& c : codes) profiles.push_back(profiles_.profile(c));
  const auto b = base(request);
  const auto doc = compare_json(b, profiles, profiles_.fields(), profiles_.now());
  if (format == Format::Html)
    return response.send(200, kHtml, html_compare(b, doc, language), language_headers(language));
  send_json(response, 200, doc);
}

void CountriesApi::country(http::Request& request, http::Response& response) {
  only_params(request, {"lang"});
  const std::string iso3 = request.path_param("iso3");
  invest::require_member_state(iso3, "iso3");
  const auto language = page_language(request);
  const bool pdf = wants_pdf(request);
  const auto format = pdf ? Format::Json : negotiate(request);
  const auto b = base(request);
  const auto doc = country_document(b, iso3);
  if (pdf) {
    auto headers = language_headers(language);
    headers.push_back({"Content-Disposition", "inline; filename=\"" + iso3 + "-investment-profile-" +
                                                  doc["asOf"].get<std::string>().substr(0, 10) + ".pdf\""});
    return response.send(200, "application/pdf", country_pdf(doc, language), headers);
  }
  if (format == Format::Html)
    return response.send(200, kHtml, html_country(b, doc, language), language_headers(language));
  send_json(response, 200, doc);
}

void CountriesApi::print(http::Request& request, http::Response& response) {
  only_params(request, {"lang"});
  const std::string iso3 = request.path_param("iso3");
  invest::require_member_state(iso3, "iso3");
  const auto language = page_language(request);
  const auto b = base(request);
  response.send(200, kHtml, html_country_print(b, country_document(b, iso3), language), language_headers(language));
}

void CountriesApi::edit(http::Request& request, http::Response& response) {
  only_params(request, {});
  const std::string iso3 = request.path_param("iso3");
  invest::require_member_state(iso3, "iso3");
  const auto who = authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor},
                                          "editing a country profile");
  const auto body = json_object_body(request);
  const auto result = profiles_.submit(who, iso3, body);
  const auto b = base(request);
  const std::string href = b + "/changesets/" + std::to_string(result.change_set.id);
  json doc = {{"changeSet",
               {{"id", result.change_set.id}, {"state", edit::to_string(result.change_set.state)}, {"href", href}}},
              {"published", result.published}};
  send_json(response, result.published ? 200 : 202, doc, {{"Location", href}});
}

}  // namespace amis::api::invest_api
