#pragma once
// The failed-login counters of auth::LoginThrottle (issues 14 and 21), kept in
// the store so that every node behind a load balancer counts the same attempts
// and a restart forgets nothing. The store sees digests only: names and client
// addresses arrive salted and hashed, and the salt changes every day.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace amis::store {

// Times are milliseconds since the epoch (the wall clock: every node shares it).
struct LoginPairCounter {
  int failures = 0;
  std::int64_t last = 0;        // the latest failure counted
  std::int64_t wait_until = 0;  // no attempt of the pair before this
};

// What one attempt reads and changes: its (name, address) pair and the names
// that failed from its address.
struct LoginCounters {
  LoginPairCounter pair;                    // failures == 0: not counted yet
  std::map<std::string, std::int64_t> names;  // name digest -> its latest failure
};

class LoginCounterStore {
 public:
  virtual ~LoginCounterStore() = default;

  // The salt of the digests on `day` (days since the epoch): the first node to
  // ask stores its `candidate` and every node gets that one. Salts of earlier
  // days are deleted, so yesterday's digests can no longer be linked to anyone.
  virtual std::string login_salt(std::int64_t day, const std::string& candidate) = 0;

  // Reads the counters of `pair` and of `address`, lets `change` change them
  // and saves them, while every other update for the same address (from any
  // node) waits. A pair left with no failures is deleted. Counters whose latest
  // activity is before `forget_before` are deleted first.
  virtual void update_login_counters(const std::string& pair, const std::string& address, std::int64_t forget_before,
                                     const std::function<void(LoginCounters&)>& change) = 0;
};

}  // namespace amis::store
