#pragma once
// One served request as the request thread hands it to the usage aggregator. It
// lives in memory only: the address and User-Agent it carries are reduced by the
// aggregator to a country, a client class and a visitor digest, and dropped.
#include <cstdint>
#include <string>

namespace amis::monitor {

struct UsageEvent {
  std::int64_t time_ms = 0;     // when the response ended (wall clock, ms since the epoch)
  const char* service = "";     // static strings from the classifier
  const char* operation = "";
  const char* format = "";
  std::string collection;       // as asked (at most kMaxName bytes); checked against the store later
  int status = 0;
  std::int64_t bytes = 0;
  double latency_ms = 0;
  std::int64_t features = 0;    // features the response returned
  std::string peer;             // the connection's address
  std::string forwarded_for;    // X-Forwarded-For as received (bounded); believed only from trusted proxies
  std::string user_agent;       // bounded; only for the client class and the visitor digest
  std::string member_state;     // the signed-in account's country (ISO alpha-3), else empty
};

inline constexpr std::size_t kMaxName = 128;
inline constexpr std::size_t kMaxHeader = 512;

}  // namespace amis::monitor
