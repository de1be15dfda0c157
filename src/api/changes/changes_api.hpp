#pragma once
// The change feed of this AMIS as a national node (issue 16): GET /changes
// ?since=SEQ&limit=N, the approved change sets of features after sequence SEQ,
// in the order approved, in pages with a next link (federation/change_feed.hpp
// has the format). For the regional AMIS that syncs this node: a bearer token of
// an account of the expert team (reviewer or administrator), the accounts that
// may read every change set here; without one, 401 (OGC API JSON exception).
#include <string>

#include "auth/authenticator.hpp"
#include "http/router.hpp"
#include "store/change_sets.hpp"

namespace amis::api::changes {

class ChangesApi {
 public:
  ChangesApi(store::ChangeSetStore& change_sets, const auth::Authenticator& authenticator, std::string base_url)
      : change_sets_(change_sets), authenticator_(authenticator), base_url_(std::move(base_url)) {}
  void register_routes(http::Router& router);

 private:
  void feed(http::Request& request, http::Response& response);

  store::ChangeSetStore& change_sets_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
};

}  // namespace amis::api::changes
