#pragma once
// Logging in and out of the portal (issue 6): POST /login with a JSON or form
// body sets the session cookie (HttpOnly, SameSite=Strict, Secure behind
// https) and answers the CSRF token; GET /session says who is logged in;
// POST /logout ends the session.
#include <string>

#include "auth/authenticator.hpp"
#include "auth/login.hpp"
#include "http/router.hpp"

namespace amis::api::auth_api {

class SessionApi {
 public:
  SessionApi(auth::LoginService& logins, const auth::Authenticator& authenticator, std::string base_url)
      : logins_(logins), authenticator_(authenticator), base_url_(std::move(base_url)) {}
  void register_routes(http::Router& router);

 private:
  void login(http::Request& request, http::Response& response);
  void logout(http::Request& request, http::Response& response);
  void session(http::Request& request, http::Response& response);
  // Secure when AMIS is reached over https (base_url, or a trusted proxy's X-Forwarded-Proto).
  std::string cookie(const http::Request& request, const std::string& value, long long max_age) const;

  auth::LoginService& logins_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
};

}  // namespace amis::api::auth_api
