#include "auth/login_throttle.hpp"

#include <algorithm>

#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::auth {
namespace {

using Clock = LoginThrottle::Clock;

std::int64_t milliseconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::int64_t milliseconds(std::chrono::seconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

int seconds_until(std::int64_t then, std::int64_t now) {
  const std::int64_t left = (then - now + 999) / 1000;
  return static_cast<int>(std::max<std::int64_t>(left, 1));
}

// Why an attempt must wait, decided while the counters are locked and thrown
// once they are saved.
struct Refusal {
  std::string reason;
  int wait = 0;
};

}  // namespace

LoginThrottle::LoginThrottle(store::LoginCounterStore& counters) : counters_(counters) {}

std::string LoginThrottle::salt_of(Clock::time_point now) {
  const std::int64_t day = milliseconds(now) / milliseconds(std::chrono::seconds(86400));
  std::lock_guard lock(mutex_);
  if (day != salt_day_) {
    salt_ = counters_.login_salt(day, new_token());
    salt_day_ = day;
  }
  return salt_;
}

std::string LoginThrottle::digest(const std::string& salt, std::string_view kind, std::string_view text) {
  std::string input = salt;
  input += kind;
  input += '\0';
  input += text;
  return token_digest(input);
}

std::chrono::seconds LoginThrottle::wait_after(int failures) {
  const int doublings = std::min(failures - kFreeFailures, 20);
  return std::min<std::chrono::seconds>(kFirstWait * (1LL << std::max(doublings, 0)), kLongestWait);
}

LoginThrottle::Attempt LoginThrottle::begin(std::string_view name, std::string_view address, Clock::time_point now) {
  const auto salt = salt_of(now);
  const Attempt a{digest(salt, "pair", std::string(name) + '\0' + std::string(address)), digest(salt, "address", address),
                  digest(salt, "name", name), milliseconds(now)};
  const std::int64_t window = milliseconds(kWindow);
  Refusal refusal;
  counters_.update_login_counters(a.pair, a.address, a.at - window, [&](store::LoginCounters& c) {
    auto& pair = c.pair;
    if (pair.failures > 0 && a.at - std::max(pair.last, pair.wait_until) > window) pair = {};
    if (pair.wait_until > a.at) {
      refusal.wait = seconds_until(pair.wait_until, a.at);
      refusal.reason = "too many failed logins for this name from this address; try again in " +
                       std::to_string(refusal.wait) + " s";
      return;
    }
    std::erase_if(c.names, [&](const auto& n) { return a.at - n.second > window; });
    if (c.names.size() >= kAddressNameCeiling && !c.names.contains(a.name)) {
      const auto oldest = std::min_element(c.names.begin(), c.names.end(),
                                           [](const auto& x, const auto& y) { return x.second < y.second; });
      refusal.wait = seconds_until(oldest->second + window, a.at);
      refusal.reason = "too many failed logins for different names from this address; try again in " +
                       std::to_string(refusal.wait) + " s";
      return;
    }
    ++pair.failures;
    pair.last = a.at;
    if (pair.failures >= kFreeFailures) pair.wait_until = a.at + milliseconds(wait_after(pair.failures));
    c.names[a.name] = a.at;
  });
  if (refusal.wait > 0) throw core::TooManyRequests(refusal.reason, refusal.wait);
  return a;
}

void LoginThrottle::failed(const Attempt& attempt, Clock::time_point now) {
  const std::int64_t at = milliseconds(now);
  counters_.update_login_counters(attempt.pair, attempt.address, at - milliseconds(kWindow),
                                  [&](store::LoginCounters& c) {
                                    if (c.pair.failures < kFreeFailures) return;
                                    c.pair.wait_until =
                                        std::max(c.pair.wait_until, at + milliseconds(wait_after(c.pair.failures)));
                                  });
}

void LoginThrottle::succeeded(const Attempt& attempt) {
  counters_.update_login_counters(attempt.pair, attempt.address, attempt.at - milliseconds(kWindow),
                                  [&](store::LoginCounters& c) {
                                    c.pair = {};
                                    c.names.erase(attempt.name);
                                  });
}

}  // namespace amis::auth
