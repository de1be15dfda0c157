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
// Names and addresses are kept only as salted SHA-256 digests.
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace amis::auth {

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
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
  };

  LoginThrottle();

  // Counts the attempt as a failure. @throws core::TooManyRequests (with the
  // seconds to wait) when the pair must wait or the address is at its ceiling.
  Attempt begin(std::string_view name, std::string_view address, Clock::time_point now);
  // The password was wrong: the pair's wait runs from now, when the answer goes out.
  void failed(const Attempt& attempt, Clock::time_point now);
  // The password was right: the pair starts afresh and the address's count
  // forgets this name.
  void succeeded(const Attempt& attempt);

 private:
  struct Pair {
    int failures = 0;
    Clock::time_point last;
    Clock::time_point wait_until;
  };
  using NameFailures = std::map<std::string, Clock::time_point>;  // name digest -> last failure

  std::string digest(std::string_view kind, std::string_view text) const;
  static std::chrono::seconds wait_after(int failures);
  void forget_old(Clock::time_point now);

  std::string salt_;  // per process: the digests mean nothing outside it
  std::mutex mutex_;
  std::map<std::string, Pair> pairs_;
  std::map<std::string, NameFailures> addresses_;
};

}  // namespace amis::auth
