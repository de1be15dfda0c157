#pragma once
// Logging in with a password (issue 6) for the portal: a session whose id the
// browser keeps in an HttpOnly, SameSite=Strict cookie, with a CSRF token that
// unsafe requests repeat in a header. Failed logins are limited per user name
// and per client address; unknown names cost as much time as wrong passwords.
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "auth/account.hpp"
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
  static constexpr int kMaxFailures = 5;
  static constexpr std::chrono::minutes kWindow{15};

  LoginService(store::AccountStore& accounts, Audit audit, std::chrono::seconds session_length = std::chrono::hours(8));

  // @throws core::Unauthorized (the same answer for an unknown name, a wrong
  // password and a disabled account), core::TooManyRequests after kMaxFailures
  // failures within kWindow for the name or the address.
  LoginResult login(const std::string& user, const std::string& password, const std::string& address);
  void logout(const std::string& session_id);

  std::chrono::seconds session_length() const { return session_length_; }

 private:
  using Clock = std::chrono::steady_clock;
  bool limited(const std::string& key, Clock::time_point now);
  void record_failure(const std::string& key, Clock::time_point now);

  store::AccountStore& accounts_;
  Audit audit_;
  std::chrono::seconds session_length_;
  std::string dummy_hash_;  // verified for unknown names, so that they take as long
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace amis::auth
