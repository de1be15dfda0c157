#pragma once
// Writing the catalogue through OGC API - Records (the create, replace and
// delete of OGC API - Features - Part 4 on /collections/catalog/items), for
// records of resources outside AMIS: a GeoJSON record or an ISO 19139 document
// (validated against the ISO schemas, refused with their messages) becomes a
// change of a change set (edit::ChangeService::write_records), reviewed and
// approved as features are; the record is published on approval. Also each
// record's history. AMIS's own records (derived from its collections) are not
// written here (409).
#include <string>

#include "auth/authenticator.hpp"
#include "catalog/iso_schema.hpp"
#include "edit/change_service.hpp"
#include "http/router.hpp"

namespace amis::api::records {

class RecordsTransactions {
 public:
  RecordsTransactions(edit::ChangeService& changes, store::ChangeSetStore& change_sets,
                      catalog::IsoSchemaOnce& iso_schema, const auth::Authenticator& authenticator,
                      std::string base_url)
      : changes_(changes),
        change_sets_(change_sets),
        iso_schema_(iso_schema),
        authenticator_(authenticator),
        base_url_(std::move(base_url)) {}

  // Before the Features and editing routes, whose /collections/{collectionId}/...
  // patterns would otherwise take these.
  void register_routes(http::Router& router);

 private:
  void create(http::Request& request, http::Response& response);
  void replace(http::Request& request, http::Response& response);
  void remove(http::Request& request, http::Response& response);
  void history(http::Request& request, http::Response& response);
  // The record of the body: GeoJSON, or ISO 19139 XML validated against the schemas.
  catalog::Record read_body(const http::Request& request);
  void send_result(const http::Request& request, http::Response& response,
                   const edit::WriteResult& result, int published_status);

  edit::ChangeService& changes_;
  store::ChangeSetStore& change_sets_;
  catalog::IsoSchemaOnce& iso_schema_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
};

}  // namespace amis::api::records
