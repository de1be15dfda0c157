#pragma once
// The needs and requirements register over HTTP (issue 18):
//   GET  /needs                 the needs the caller may see (filters, paging; f=csv: the export, streamed)
//   POST /needs                 submit a need (any signed-in account)
//   GET  /needs/summary         public counts by kind and status and by member state (json, csv)
//   GET  /needs/{needId}        a need with its comments and history
//   PATCH /needs/{needId}       triage: status, priority, assignee, resolution (the expert team)
//   POST /needs/{needId}/comments   a comment of the expert team
// Errors are OGC API JSON exceptions; a session cookie's writes need its CSRF token.
#include <string>

#include "auth/authenticator.hpp"
#include "http/router.hpp"
#include "needs/need_service.hpp"

namespace amis::api::needs {

class NeedsApi {
 public:
  NeedsApi(amis::needs::NeedService& service, const auth::Authenticator& authenticator, std::string base_url)
      : service_(service), authenticator_(authenticator), base_url_(std::move(base_url)) {}

  void register_routes(http::Router& router);

 private:
  void list(http::Request& request, http::Response& response);
  void submit(http::Request& request, http::Response& response);
  void summary(http::Request& request, http::Response& response);
  void get(http::Request& request, http::Response& response);
  void triage(http::Request& request, http::Response& response);
  void comment(http::Request& request, http::Response& response);

  auth::Principal signed_in(const http::Request& request, const char* action) const;
  std::string base(const http::Request& request) const;

  amis::needs::NeedService& service_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
};

}  // namespace amis::api::needs
