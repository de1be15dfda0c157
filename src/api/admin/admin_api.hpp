#pragma once
// The administrators' API over HTTP (issue 6), the same operations as
// `amis user` and `amis token` through auth::AccountAdmin:
//   GET/POST /admin/users, GET/PATCH /admin/users/{name},
//   GET/POST /admin/users/{name}/tokens, DELETE /admin/tokens/{id}.
// Administrators only; passwords arrive in JSON bodies and are never echoed.
#include "auth/account_admin.hpp"
#include "auth/authenticator.hpp"
#include "http/router.hpp"

namespace amis::api::admin {

class AdminApi {
 public:
  AdminApi(store::AccountStore& accounts, auth::AccountAdmin& admin, const auth::Authenticator& authenticator)
      : accounts_(accounts), admin_(admin), authenticator_(authenticator) {}
  void register_routes(http::Router& router);

 private:
  void list_users(http::Request& request, http::Response& response);
  void add_user(http::Request& request, http::Response& response);
  void get_user(http::Request& request, http::Response& response);
  void change_user(http::Request& request, http::Response& response);
  void list_tokens(http::Request& request, http::Response& response);
  void create_token(http::Request& request, http::Response& response);
  void revoke_token(http::Request& request, http::Response& response);

  auth::Principal require_admin(const http::Request& request);

  store::AccountStore& accounts_;
  auth::AccountAdmin& admin_;
  const auth::Authenticator& authenticator_;
};

}  // namespace amis::api::admin
