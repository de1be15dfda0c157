#pragma once
// The country investment profiles (issue 20) at /countries: the list, a
// profile with its live summaries and downloads (JSON, HTML, printable HTML,
// PDF), the comparison of 2 to 10 member states, and editors' edits submitted
// as change sets. JSON and HTML negotiated as the OGC API pages are (f=, Accept);
// the HTML and PDF in the language of `lang` or Accept-Language, as the portal chooses.
#include <string>
#include <vector>

#include "api/invest/countries_html.hpp"
#include "auth/authenticator.hpp"
#include "core/translations.hpp"
#include "http/router.hpp"
#include "invest/profile_service.hpp"
#include "invest/summary_spec.hpp"
#include "store/catalog_store.hpp"
#include "store/store.hpp"

namespace amis::api::invest_api {

struct CountriesOptions {
  std::vector<invest::SummarySpec> summaries;
  std::string country_property = "iso3";
  std::string base_url;
  store::CatalogStore* catalog = nullptr;  // for the catalogue's records about the country; null: none
};

class CountriesApi {
 public:
  CountriesApi(invest::ProfileService& profiles, store::Store& store, const auth::Authenticator& authenticator,
               const core::Translations& translations, CountriesOptions options)
      : profiles_(profiles),
        store_(store),
        authenticator_(authenticator),
        translations_(translations),
        options_(std::move(options)) {}

  void register_routes(http::Router& router);

 private:
  void list(http::Request& request, http::Response& response);
  void fields(http::Request& request, http::Response& response);
  void compare(http::Request& request, http::Response& response);
  void country(http::Request& request, http::Response& response);
  void print(http::Request& request, http::Response& response);
  void edit(http::Request& request, http::Response& response);

  nlohmann::json country_document(const std::string& base, const std::string& iso3);
  std::string base(const http::Request& request) const;
  // The pages' language: `lang` (en, zh, ja, ko), else Accept-Language, else English.
  PageLanguage page_language(const http::Request& request) const;

  invest::ProfileService& profiles_;
  store::Store& store_;
  const auth::Authenticator& authenticator_;
  const core::Translations& translations_;
  CountriesOptions options_;
};

// The `countries` parameter of a comparison: 2 to 10 distinct member states'
// codes, comma-separated, in the order given. @throws core::InvalidParameter,
// core::NotFound (a code of no member state).
std::vector<std::string> parse_country_list(std::string_view text);

}  // namespace amis::api::invest_api
