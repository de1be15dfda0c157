#pragma once
// OGC API - Features - Part 1: Core (core, oas30, geojson, html conformance classes).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/features/count_cache.hpp"
#include "api/features/items_request.hpp"
#include "api/features/queryable_values.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace amis::api::features {

struct ServiceInfo {
  std::string title = "AMIS - ASEAN Minerals Information System";
  std::string description =
      "Minerals and geoscience data of the ASEAN Member States, China, Japan and the "
      "Republic of Korea, published with OGC standards.";
  std::string base_url;  // e.g. "https://amis.example.org"; empty: from the Host header
  ItemsLimits limits;
};

class FeaturesApi {
 public:
  FeaturesApi(store::Store& store, ServiceInfo info) : store_(store), info_(std::move(info)), values_(store) {}
  void register_routes(http::Router& router);
  // Where a feature's ETag comes from (the editing service); none: no ETags.
  using ETagSource = std::function<std::optional<std::string>(const core::Collection&, std::int64_t)>;
  void set_etags(ETagSource source) { etags_ = std::move(source); }
  // Where `items?asOf=<instant>` reads a collection as it was published then
  // (the editing history); none: the parameter is unknown.
  using AsOfReader = std::function<std::int64_t(const core::Collection&, const std::string& instant,
                                                std::int64_t limit, std::int64_t offset, core::FeatureSink&)>;
  void set_as_of(AsOfReader reader) { as_of_ = std::move(reader); }
  // Collections other APIs serve under /collections (the Records catalogue),
  // listed after the feature collections in /collections.
  using OtherCollections = std::function<std::vector<nlohmann::json>(const std::string& base)>;
  void set_other_collections(OtherCollections others) { others_ = std::move(others); }
  // The document of a collection another API serves (a coverage), by id; nullopt
  // when it has none. Asked only for ids that are no feature collection.
  using OtherCollection = std::function<std::optional<nlohmann::json>(const std::string& id, const std::string& base)>;
  void set_other_collection(OtherCollection other) { other_ = std::move(other); }

 private:
  void landing_page(http::Request& request, http::Response& response);
  void conformance(http::Request& request, http::Response& response);
  void api_definition(http::Request& request, http::Response& response);
  void functions(http::Request& request, http::Response& response);
  void collections(http::Request& request, http::Response& response);
  void collection(http::Request& request, http::Response& response);
  void queryables(http::Request& request, http::Response& response);
  void items(http::Request& request, http::Response& response);
  void items_as_of(http::Request& request, http::Response& response, const core::Collection& c,
                   std::string_view instant);
  void item(http::Request& request, http::Response& response);

  core::Collection require_collection(const http::Request& request);
  std::string base_url(const http::Request& request) const;

  store::Store& store_;
  ServiceInfo info_;
  CountCache counts_;
  ETagSource etags_;
  AsOfReader as_of_;
  OtherCollections others_;
  OtherCollection other_;
  QueryableValues values_;
};

}  // namespace amis::api::features
