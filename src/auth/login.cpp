#include "auth/login.hpp"

#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::auth {

LoginService::LoginService(store::AccountStore& accounts, Audit audit, std::chrono::seconds session_length)
    : accounts_(accounts),
      audit_(std::move(audit)),
      session_length_(session_length),
      dummy_hash_(hash_password(new_token())),
      throttle_(accounts) {}

namespace {

// What the audit log keeps of the client: never its address (personal data), a
// pseudonym that tells the attempts of one address apart within one day (the
// throttle's salt changes daily and yesterday's is deleted).
std::string client_pseudonym(const LoginThrottle::Attempt& attempt) { return "client " + attempt.address.substr(0, 12); }

}  // namespace

LoginResult LoginService::login(const std::string& name, const std::string& password, const std::string& address) {
  const auto attempt = throttle_.begin(name.substr(0, 64), address, LoginThrottle::Clock::now());
  const auto user = valid_user_name(name) ? accounts_.user(name) : std::nullopt;
  const auto hash = user ? accounts_.password_hash(name) : std::nullopt;
  const bool verified = verify_password(hash ? *hash : dummy_hash_, password) && hash.has_value();
  if (!verified || user->disabled) {
    throttle_.failed(attempt, LoginThrottle::Clock::now());
    audit_("anonymous", "login failed", name.substr(0, 64), client_pseudonym(attempt));
    throw core::Unauthorized("the user name or the password is wrong, or the account is disabled");
  }
  throttle_.succeeded(attempt);
  LoginResult result;
  result.session_id = new_token();
  result.csrf = new_token();
  result.expires = std::chrono::duration_cast<std::chrono::seconds>(
                       (std::chrono::system_clock::now() + session_length_).time_since_epoch())
                       .count();
  result.principal = Principal{user->name, user->role, user->country};
  accounts_.add_session(token_digest(result.session_id), {user->name, result.csrf, result.expires});
  audit_(user->name, "login", user->name, client_pseudonym(attempt));
  return result;
}

void LoginService::logout(const std::string& session_id) { accounts_.remove_session(token_digest(session_id)); }

}  // namespace amis::auth
