#pragma once
// WFS 2.0.0 and 1.1.0 at /wfs (KVP over GET and POST forms, XML over POST):
// GetCapabilities, DescribeFeatureType, GetFeature, GetPropertyValue,
// ListStoredQueries, DescribeStoredQueries, and Transaction (wfs_transaction). Requests are typed here into the
// same FeatureQuery as OGC API - Features and run by the same store.
#include "api/wfs/wfs_transaction.hpp"
#include <string>

#include "api/wfs/wfs_request.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace amis::api::wfs {

struct WfsSettings {
  std::string title;
  std::string description;
  std::string base_url;  // empty: from the Host header
  WfsTransaction* transactions = nullptr;  // none: a basic (read-only) WFS
};

class WfsService {
 public:
  WfsService(store::Store& store, WfsSettings settings) : store_(store), settings_(std::move(settings)) {}
  void register_routes(http::Router& router);

 private:
  enum class Version { V1_1, V2_0 };

  void handle(http::Request& request, http::Response& plain);  // answers with Cache-Control: no-store
  void dispatch(const WfsRequest& r, Version version, const http::Request& request, http::Response& response);
  void get_capabilities(const WfsRequest& r, const http::Request& request, http::Response& response);
  void describe_feature_type(const WfsRequest& r, Version version, http::Response& response);
  void get_feature(const WfsRequest& r, Version version, const http::Request& request, http::Response& response);
  void get_features_of_types(const WfsRequest& r, const std::vector<std::pair<std::string, std::string>>& groups,
                             Version version, http::Response& response);
  void get_feature_by_id(const WfsRequest& r, Version version, http::Response& response);
  void get_property_value(const WfsRequest& r, const http::Request& request, http::Response& response);

  core::Collection require_type(const std::string& type_name, const char* locator,
                                const std::vector<std::string>& prefixes);
  std::string base_url(const http::Request& request) const;

  store::Store& store_;
  WfsSettings settings_;
};

}  // namespace amis::api::wfs
