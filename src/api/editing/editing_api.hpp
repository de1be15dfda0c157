#pragma once
// The write side of OGC API - Features (Part 4: Create, Replace, Update and
// Delete, with ETag/If-Match) and the review API around it: change sets, their
// review, feature history and the audit log. Every write goes through
// edit::ChangeService; who may do it is decided by edit::EditingPolicy.
#include <string>

#include "api/editing/upload_slots.hpp"
#include "auth/authenticator.hpp"
#include "edit/change_service.hpp"
#include "http/router.hpp"

namespace amis::api::editing {

class EditingApi {
 public:
  EditingApi(store::Store& store, store::ChangeSetStore& change_sets, store::CatalogStore& catalog,
             edit::ChangeService& changes, const edit::EditingPolicy& policy, const auth::Authenticator& authenticator,
             std::string base_url)
      : store_(store),
        change_sets_(change_sets),
        catalog_(catalog),
        changes_(changes),
        policy_(policy),
        authenticator_(authenticator),
        base_url_(std::move(base_url)) {}

  void register_routes(http::Router& router);

 private:
  // OGC API - Features - Part 4
  void create_item(http::Request& request, http::Response& response);
  void replace_item(http::Request& request, http::Response& response);
  void update_item(http::Request& request, http::Response& response);
  void delete_item(http::Request& request, http::Response& response);
  void item_history(http::Request& request, http::Response& response);
  void upload(http::Request& request, http::Response& response);
  // Grids of coverages (grid_upload.cpp)
  void upload_grid(http::Request& request, http::Response& response);
  void grid_history(http::Request& request, http::Response& response);
  // Change sets and review
  void list_change_sets(http::Request& request, http::Response& response);
  void create_change_set(http::Request& request, http::Response& response);
  void change_set(http::Request& request, http::Response& response);
  void review(http::Request& request, http::Response& response);
  void act(http::Request& request, http::Response& response);
  void audit_log(http::Request& request, http::Response& response);

  void send_write_result(const http::Request& request, http::Response& response, const core::Collection& collection,
                         const edit::WriteResult& result, int published_status);
  core::Collection require_collection(const http::Request& request);
  std::string base(const http::Request& request) const;

  store::Store& store_;
  store::ChangeSetStore& change_sets_;
  store::CatalogStore& catalog_;  // for the review of catalogue change sets
  edit::ChangeService& changes_;
  const edit::EditingPolicy& policy_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
  UploadSlots upload_slots_;
};

}  // namespace amis::api::editing
