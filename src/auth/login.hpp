#pragma once
// Logging in with a password (issue 6) for the portal: a session whose id the
// browser keeps in an HttpOnly, SameSite=Strict cookie, with a CSRF token that
// unsafe requests repeat in a header. Failed logins are slowed down per (user
// name, client address) pair by auth::LoginThrottle; unknown names cost as much
// time as wrong passwords.
#include <chrono>
#include <functional>
#include <string>

#include "auth/account.hpp"
#include "auth/login_throttle.hpp"
#include "store/accounts.hpp"

namespace amis::auth {

inline constexpr const char* kSessionCookie = "amis_session";

struct LoginResult {
  std::string session_id;  // for the cookie only: never logged, stored as its SHA-256
  std::string csrf;
  std::int64_t expires = 0;  // seconds since the epoch
  Principal principal;
};

class LoginService {
 public:
  using Audit = std::function<void(const std::string&, const std::string&, const std::string&, const std::string&)>;
  LoginService(store::AccountStore& accounts, Audit audit, std::chrono::seconds session_length = std::chrono::hours(8));

  // @throws core::Unauthorized (the same answer for an unknown name, a wrong
  // password and a disabled account), core::TooManyRequests (with the seconds
  // to wait) when LoginThrottle says the attempt must wait.
  LoginResult login(const std::string& user, const std::string& password, const std::string& address);
  void logout(const std::string& session_id);

  std::chrono::seconds session_length() const { return session_length_; }

 private:
  store::AccountStore& accounts_;
  Audit audit_;
  std::chrono::seconds session_length_;
  std::string dummy_hash_;  // verified for unknown names, so that they take as long
  LoginThrottle throttle_;  // its counters are in `accounts`, shared by every node
};

}  // namespace amis::auth
