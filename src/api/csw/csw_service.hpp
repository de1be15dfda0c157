#pragma once
// CSW 2.0.2 with the ISO Application Profile 1.0 at /csw (KVP over GET and form
// POST, XML over POST): GetCapabilities, DescribeRecord, GetRecords, GetRecordById
// and GetDomain over the catalogue store. Filters (OGC Filter 1.1, CQL) name only
// the known queryables (csw_queryables) and become the same CatalogQuery as OGC
// API - Records. Transaction and Harvest are refused: records change through the
// catalogue's change sets and review.
#include <string>

#include "api/csw/csw_documents.hpp"
#include "api/csw/csw_request.hpp"
#include "auth/authenticator.hpp"
#include "catalog/derived_records.hpp"
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
  CswService(store::CatalogStore& catalog, catalog::RecordKeeper& keeper, const auth::Authenticator& authenticator,
             CswSettings settings)
      : catalog_(catalog), keeper_(keeper), authenticator_(authenticator), settings_(std::move(settings)) {}
  void register_routes(http::Router& router);

 private:
  void handle(http::Request& request, http::Response& response);
  void dispatch(const CswRequest& r, const http::Request& request, http::Response& response);
  void get_records(const CswRequest& r, const http::Request& request, http::Response& response);
  void get_record_by_id(const CswRequest& r, const http::Request& request, http::Response& response);
  void get_domain(const CswRequest& r, http::Response& response);
  void refuse_transaction(const CswRequest& r, const http::Request& request);

  store::CatalogStore& catalog_;
  catalog::RecordKeeper& keeper_;
  const auth::Authenticator& authenticator_;
  CswSettings settings_;
};

}  // namespace amis::api::csw
