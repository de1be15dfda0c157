#include "auth/login_throttle.hpp"

#include <algorithm>

#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::auth {
namespace {

constexpr std::size_t kMaxTracked = 100000;  // pairs or addresses kept before old ones are dropped

int seconds_until(LoginThrottle::Clock::time_point then, LoginThrottle::Clock::time_point now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(then - now).count();
  return static_cast<int>(std::max<decltype(left)>(left, 1));
}

}  // namespace

LoginThrottle::LoginThrottle() : salt_(new_token()) {}

std::string LoginThrottle::digest(std::string_view kind, std::string_view text) const {
  std::string input = salt_;
  input += kind;
  input += '\0';
  input += text;
  return token_digest(input);
}

std::chrono::seconds LoginThrottle::wait_after(int failures) {
  const int doublings = std::min(failures - kFreeFailures, 20);
  return std::min<std::chrono::seconds>(kFirstWait * (1LL << std::max(doublings, 0)), kLongestWait);
}

void LoginThrottle::forget_old(Clock::time_point now) {
  std::erase_if(pairs_, [&](const auto& p) { return now - std::max(p.second.last, p.second.wait_until) > kWindow; });
  for (auto it = addresses_.begin(); it != addresses_.end();) {
    std::erase_if(it->second, [&](const auto& n) { return now - n.second > kWindow; });
    it = it->second.empty() ? addresses_.erase(it) : std::next(it);
  }
  // Still too many (a flood of fresh names and addresses): start over rather than grow.
  if (pairs_.size() > kMaxTracked) pairs_.clear();
  if (addresses_.size() > kMaxTracked) addresses_.clear();
}

LoginThrottle::Attempt LoginThrottle::begin(std::string_view name, std::string_view address, Clock::time_point now) {
  Attempt a{digest("pair", std::string(name) + '\0' + std::string(address)), digest("address", address),
            digest("name", name)};
  std::lock_guard lock(mutex_);
  if (pairs_.size() > kMaxTracked || addresses_.size() > kMaxTracked) forget_old(now);

  auto& pair = pairs_[a.pair];
  if (pair.failures > 0 && now - std::max(pair.last, pair.wait_until) > kWindow) pair = Pair{};
  if (pair.wait_until > now)
    throw core::TooManyRequests("too many failed logins for this name from this address; try again in " +
                                    std::to_string(seconds_until(pair.wait_until, now)) + " s",
                                seconds_until(pair.wait_until, now));

  auto& names = addresses_[a.address];
  std::erase_if(names, [&](const auto& n) { return now - n.second > kWindow; });
  if (names.size() >= kAddressNameCeiling && !names.contains(a.name)) {
    const auto oldest = std::min_element(names.begin(), names.end(),
                                         [](const auto& x, const auto& y) { return x.second < y.second; });
    const int wait = seconds_until(oldest->second + kWindow, now);
    throw core::TooManyRequests("too many failed logins for different names from this address; try again in " +
                                    std::to_string(wait) + " s",
                                wait);
  }
  ++pair.failures;
  pair.last = now;
  if (pair.failures >= kFreeFailures) pair.wait_until = now + wait_after(pair.failures);
  names[a.name] = now;
  return a;
}

void LoginThrottle::failed(const Attempt& attempt, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = pairs_.find(attempt.pair);
  if (it == pairs_.end() || it->second.failures < kFreeFailures) return;
  it->second.wait_until = std::max(it->second.wait_until, now + wait_after(it->second.failures));
}

void LoginThrottle::succeeded(const Attempt& attempt) {
  std::lock_guard lock(mutex_);
  pairs_.erase(attempt.pair);
  if (auto it = addresses_.find(attempt.address); it != addresses_.end()) {
    it->second.erase(attempt.name);
    if (it->second.empty()) addresses_.erase(it);
  }
}

}  // namespace amis::auth
