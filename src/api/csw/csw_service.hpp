#pragma once
// CSW 2.0.2 with the ISO Application Profile 1.0 at /csw (KVP over GET and form
// POST, XML over POST): GetCapabilities, DescribeRecord, GetRecords, GetRecordById
// and GetDomain over the catalogue store. Filters (OGC Filter 1.1, CQL) name only
// the known queryables (csw_queryables) and become the same CatalogQuery as OGC
// API - Records. Transaction (XML POST, authenticated) does not write: its
// inserts, updates and deletes become one change set of the catalogue, published
// when a reviewer approves it (edit::ChangeService::write_records). Harvest is
// refused.
#include <string>

#include "api/csw/csw_documents.hpp"
#include "api/csw/csw_request.hpp"
#include "auth/authenticator.hpp"
#include "catalog/derived_records.hpp"
#include "catalog/iso_schema.hpp"
#include "edit/change_service.hpp"
#include "federation/distributed_search.hpp"
#include "http/router.hpp"
#include "store/catalog_store.hpp"

namespace amis::api::csw {

struct CswSettings {
  CswServiceInfo info;
  std::string base_url;  // empty: from the Host header
};

class CswService {
 public:
  // `keeper` brings AMIS's own records up to date before each read.
  // Without `changes` and `iso_schema`, Transaction is refused.
  CswService(store::CatalogStore& catalog, catalog::RecordKeeper& keeper, const auth::Authenticator& authenticator,
             CswSettings settings, edit::ChangeService* changes = nullptr,
             catalog::IsoSchemaOnce* iso_schema = nullptr)
      : catalog_(catalog),
        keeper_(keeper),
        authenticator_(authenticator),
        settings_(std::move(settings)),
        changes_(changes),
        iso_schema_(iso_schema) {}
  void register_routes(http::Router& router);
  // Enables GetRecords' DistributedSearch (issue 16); without it a search stays local.
  void set_distributed_search(federation::DistributedSearch* search) { distributed_ = search; }

 private:
  void handle(http::Request& request, http::Response& response);
  void dispatch(const CswRequest& r, const http::Request& request, http::Response& response);
  void get_records(const CswRequest& r, const http::Request& request, http::Response& response);
  void get_record_by_id(const CswRequest& r, const http::Request& request, http::Response& response);
  void get_domain(const CswRequest& r, http::Response& response);
  void refuse_transaction(const CswRequest& r, const http::Request& request);
  void transaction(const http::Request& request, http::Response& response);
  // The ids of the records a csw:Delete's constraint selects (at most kMaxTransactionRecords).
  std::vector<std::string> selected_ids(const CswRequest& constraint);

  store::CatalogStore& catalog_;
  catalog::RecordKeeper& keeper_;
  const auth::Authenticator& authenticator_;
  CswSettings settings_;
  edit::ChangeService* changes_;
  catalog::IsoSchemaOnce* iso_schema_;
  federation::DistributedSearch* distributed_ = nullptr;
};

}  // namespace amis::api::csw
