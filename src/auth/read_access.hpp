#pragma once
// Who may read which collection (issue 6). Collections are public unless
// amis.toml restricts them to named roles and member states:
//   [access.collections.licences]
//   read = ["reviewer", "THA", "VNM"]
// Administrators read everything. A collection the caller may not read does
// not exist for them: it is missing from capabilities, catalogues and tiles,
// and asking for it is a 404. The caller of the request being served is known
// through RequestPrincipal, set once per request by the composition root.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/account.hpp"

namespace amis::auth {

struct ReadRule {
  std::vector<Role> roles;
  std::vector<std::string> countries;  // editors of these member states
};

class ReadAccess {
 public:
  ReadAccess() = default;
  explicit ReadAccess(std::map<std::string, ReadRule, std::less<>> restricted) : restricted_(std::move(restricted)) {}

  bool may_read(const std::optional<Principal>& who, std::string_view collection) const;
  bool restricted(std::string_view collection) const { return restricted_.count(collection) > 0; }

 private:
  std::map<std::string, ReadRule, std::less<>> restricted_;
};

// The caller of the request this thread serves (nullopt: anonymous).
class RequestPrincipal {
 public:
  explicit RequestPrincipal(std::optional<Principal> who);
  ~RequestPrincipal();
  RequestPrincipal(const RequestPrincipal&) = delete;
  RequestPrincipal& operator=(const RequestPrincipal&) = delete;

  static const std::optional<Principal>& current();

 private:
  std::optional<Principal> previous_;
};

}  // namespace amis::auth
