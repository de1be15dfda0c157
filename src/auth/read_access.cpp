#include "auth/read_access.hpp"

#include <algorithm>

namespace amis::auth {
namespace {

thread_local std::optional<Principal> current_principal;

}  // namespace

bool ReadAccess::may_read(const std::optional<Principal>& who, std::string_view collection) const {
  auto it = restricted_.find(collection);
  if (it == restricted_.end()) return true;
  if (!who) return false;
  if (who->role == Role::Admin) return true;
  const auto& rule = it->second;
  if (std::find(rule.roles.begin(), rule.roles.end(), who->role) != rule.roles.end()) return true;
  return who->role == Role::Editor &&
         std::find(rule.countries.begin(), rule.countries.end(), who->country) != rule.countries.end();
}

RequestPrincipal::RequestPrincipal(std::optional<Principal> who) : previous_(std::move(current_principal)) {
  current_principal = std::move(who);
}

RequestPrincipal::~RequestPrincipal() { current_principal = std::move(previous_); }

const std::optional<Principal>& RequestPrincipal::current() { return current_principal; }

}  // namespace amis::auth
