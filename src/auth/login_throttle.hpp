#pragma once
// How fast failed logins may be repeated (issue 21), without letting anyone
// lock a legitimate user out. Failures are counted per (user name, client
// address) pair: five are free, then the pair waits 1 s, 2 s, 4 s ... up to
// 15 minutes before its next attempt; a success clears it. Other names from the
// address and the name from other addresses are not affected, so neither a
// stranger guessing a name nor a colleague behind the same proxy locks a user
// out. Against spraying many names from one address, an address that failed
// for kAddressNameCeiling names within kWindow is refused for other names
// until the oldest failure is kWindow old.
//
// Each attempt counts as a failure from the moment it begins (and is taken back
// on success), so attempts made at the same time cannot pass a limit together.
// The counters live in the store (issue 14), so every node of a cluster sees
// the same ones; names and addresses are kept only as SHA-256 digests salted
// with a salt of the day (store::LoginCounterStore::login_salt).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "store/login_counters.hpp"

namespace amis::auth {

class LoginThrottle {
 public:
  using Clock = std::chrono::system_clock;  // shared by the nodes, unlike a steady clock
  static constexpr int kFreeFailures = 5;
  static constexpr std::chrono::seconds kFirstWait{1};
  static constexpr std::chrono::seconds kLongestWait{15 * 60};
  static constexpr std::chrono::seconds kWindow{15 * 60};  // how long a failure is remembered
  static constexpr std::size_t kAddressNameCeiling = 50;

  // One attempt under way: what begin() counted, for failed() or succeeded().
  struct Attempt {
    std::string pair;     // digest of (name, address)
    std::string address;  // digest of the address
    std::string name;     // digest of the name
    std::int64_t at = 0;  // when it began, ms since the epoch
  };

  explicit LoginThrottle(store::LoginCounterStore& counters);

  // Counts the attempt as a failure. @throws core::TooManyRequests (with the
  // seconds to wait) when the pair must wait or the address is at its ceiling.
  Attempt begin(std::string_view name, std::string_view address, Clock::time_point now);
  // The password was wrong: the pair's wait runs from now, when the answer goes out.
  void failed(const Attempt& attempt, Clock::time_point now);
  // The password was right: the pair starts afresh and the address's count
  // forgets this name.
  void succeeded(const Attempt& attempt);

 private:
  // The salt of the day `now` falls in, asked of the store once a day.
  std::string salt_of(Clock::time_point now);
  static std::string digest(const std::string& salt, std::string_view kind, std::string_view text);
  static std::chrono::seconds wait_after(int failures);

  store::LoginCounterStore& counters_;
  std::mutex mutex_;  // guards the salt below
  std::int64_t salt_day_ = -1;
  std::string salt_;
};

}  // namespace amis::auth
