#include "auth/login.hpp"

#include <algorithm>

#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::auth {

LoginService::LoginService(store::AccountStore& accounts, Audit audit, std::chrono::seconds session_length)
    : accounts_(accounts),
      audit_(std::move(audit)),
      session_length_(session_length),
      dummy_hash_(hash_password(new_token())) {}

bool LoginService::limited(const std::string& key, Clock::time_point now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  auto& times = it->second;
  while (!times.empty() && now - times.front() > kWindow) times.pop_front();
  if (times.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(times.size()) >= kMaxFailures;
}

void LoginService::record_failure(const std::string& key, Clock::time_point now) {
  if (failures_.size() > 100000) failures_.clear();  // a flood of names: start over rather than grow
  failures_[key].push_back(now);
}

LoginResult LoginService::login(const std::string& name, const std::string& password, const std::string& address) {
  const auto now = Clock::now();
  const std::string user_key = "user:" + name.substr(0, 64);
  const std::string address_key = "address:" + address;
  {
    // Each attempt counts as a failure from the start, so that attempts made
    // at the same time cannot all pass the limit before any of them fails.
    std::lock_guard lock(mutex_);
    if (limited(user_key, now) || limited(address_key, now))
      throw core::TooManyRequests("too many failed logins; try again in 15 minutes");
    record_failure(user_key, now);
    record_failure(address_key, now);
  }
  const auto user = valid_user_name(name) ? accounts_.user(name) : std::nullopt;
  const auto hash = user ? accounts_.password_hash(name) : std::nullopt;
  const bool verified = verify_password(hash ? *hash : dummy_hash_, password) && hash.has_value();
  if (!verified || user->disabled) {
    audit_("anonymous", "login failed", name.substr(0, 64), address);
    throw core::Unauthorized("the user name or the password is wrong, or the account is disabled");
  }
  {
    std::lock_guard lock(mutex_);
    failures_.erase(user_key);
    if (auto it = failures_.find(address_key); it != failures_.end()) {  // this attempt did not fail
      auto& times = it->second;
      if (auto t = std::find(times.rbegin(), times.rend(), now); t != times.rend()) times.erase(std::next(t).base());
    }
  }
  LoginResult result;
  result.session_id = new_token();
  result.csrf = new_token();
  result.expires = std::chrono::duration_cast<std::chrono::seconds>(
                       (std::chrono::system_clock::now() + session_length_).time_since_epoch())
                       .count();
  result.principal = Principal{user->name, user->role, user->country};
  accounts_.add_session(token_digest(result.session_id), {user->name, result.csrf, result.expires});
  audit_(user->name, "login", user->name, address);
  return result;
}

void LoginService::logout(const std::string& session_id) { accounts_.remove_session(token_digest(session_id)); }

}  // namespace amis::auth
