#pragma once
// WFS-T: the Transaction operation of WFS 2.0 (Insert, Update, Replace, Delete)
// and WFS 1.1 and 1.0 (Insert, Update, Delete; 1.0 because QGIS sends its
// transactions as 1.0.0 on a WFS 2.0 connection). A transaction is one change set of one
// feature type, recorded through edit::ChangeService like every other write:
// submitted for review, or published at once for the roles so configured.
#include <string>
#include <string_view>

#include "auth/authenticator.hpp"
#include "edit/change_service.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "store/store.hpp"

namespace amis::api::wfs {

enum class TransactionVersion { V1_0, V1_1, V2_0 };

class WfsTransaction {
 public:
  WfsTransaction(store::Store& store, edit::ChangeService& changes, const auth::Authenticator& authenticator)
      : store_(store), changes_(changes), authenticator_(authenticator) {}

  // Executes the wfs:Transaction in the request's body and answers a
  // wfs:TransactionResponse (wfs:WFS_TransactionResponse in 1.0.0). @throws
  // core::OgcError (written by the service as an exception report); nothing is
  // recorded then.
  void execute(const http::Request& request, TransactionVersion version, const std::string& base_url,
               http::Response& response);

 private:
  store::Store& store_;
  edit::ChangeService& changes_;
  const auth::Authenticator& authenticator_;
};

}  // namespace amis::api::wfs
