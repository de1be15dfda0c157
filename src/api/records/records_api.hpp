#pragma once
// OGC API - Records - Part 1: Core 1.0 (OGC 20-004r1): the catalogue as the
// collection /collections/catalog (itemType "record") with its items (search),
// one record (JSON, HTML, ISO 19139 XML), queryables and sortables. The records
// are kept current by catalog::RecordKeeper before each read.
#include <nlohmann/json.hpp>
#include <string>

#include "catalog/derived_records.hpp"
#include "federation/distributed_search.hpp"
#include "http/router.hpp"
#include "store/catalog_store.hpp"

namespace amis::api::records {

struct RecordsInfo {
  std::string title = "AMIS metadata catalogue";
  std::string description = "ISO 19115 metadata of the data, maps and services of AMIS";
  std::string base_url;  // for links behind a proxy; empty: from Host
};

class RecordsApi {
 public:
  RecordsApi(store::CatalogStore& catalog, catalog::RecordKeeper& keeper, RecordsInfo info)
      : catalog_(catalog), keeper_(keeper), info_(std::move(info)) {}
  // Registers the catalogue's routes; call before the Features routes, whose
  // /collections/{collectionId}/... patterns would otherwise take them.
  void register_routes(http::Router& router);
  // Enables items?federated=true (issue 16); without it such a search is refused.
  void set_distributed_search(federation::DistributedSearch* search) { distributed_ = search; }
  // The catalogue's entry in /collections.
  nlohmann::json collection_entry(const std::string& base);

 private:
  void catalog(http::Request& request, http::Response& response);
  void items(http::Request& request, http::Response& response);
  void item(http::Request& request, http::Response& response);
  void queryables(http::Request& request, http::Response& response);
  void sortables(http::Request& request, http::Response& response);
  std::string base_url(const http::Request& request) const;

  store::CatalogStore& catalog_;
  catalog::RecordKeeper& keeper_;
  RecordsInfo info_;
  federation::DistributedSearch* distributed_ = nullptr;
};

}  // namespace amis::api::records
