#pragma once
// The styles of a collection over HTTP, after OGC API - Styles:
//   GET    /collections/{id}/styles              the list (JSON), "default" first
//   GET    /collections/{id}/styles/{styleId}    the SLD document (stored styles)
//   GET    /collections/{id}/styles/{styleId}/legend   the legend image (PNG)
//   PUT    /collections/{id}/styles/{styleId}    store an SLD 1.0 / SE 1.1 document
//   DELETE /collections/{id}/styles/{styleId}
// Writes need an administrator's bearer token (an API token of an admin user,
// or the [admin] token of amis.toml).
#include <string>

#include "auth/authenticator.hpp"
#include "http/router.hpp"
#include "store/store.hpp"
#include "styles/style_catalog.hpp"

namespace amis::api::styles {

class StylesApi {
 public:
  StylesApi(store::Store& store, amis::styles::StyleCatalog& catalog, const auth::Authenticator& authenticator,
            std::string base_url)
      : store_(store), catalog_(catalog), authenticator_(authenticator), base_url_(std::move(base_url)) {}
  void register_routes(http::Router& router);

 private:
  void list(http::Request& request, http::Response& response);
  void get(http::Request& request, http::Response& response);
  void legend(http::Request& request, http::Response& response);
  void put(http::Request& request, http::Response& response);
  void remove(http::Request& request, http::Response& response);
  core::Collection require_collection(const http::Request& request);
  std::string base_url(const http::Request& request) const;

  store::Store& store_;
  amis::styles::StyleCatalog& catalog_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
};

}  // namespace amis::api::styles
