#pragma once
// Per-node rate limits (issue 16): a node registered with a rate limit is never asked
// more often than that by this process, whatever asks it (harvests, syncs, cascades,
// distributed searches, each from its own thread). The requests to one origin
// (scheme, host and port) are spaced 1/rate apart: each reserves the next free slot
// and waits for it. Two nodes on one origin share the spacing (it is the server that
// is protected), each request taking the interval of its own node's rate.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "federation/node_client.hpp"

namespace amis::federation {

class NodePacer {
 public:
  using Clock = std::chrono::steady_clock;

  // Reserves the earliest slot for a request to `origin` at most `per_second` a second
  // (<= 0: no limit, now) and returns when it is due; std::nullopt, reserving nothing,
  // when that slot is later than `deadline`.
  std::optional<Clock::time_point> reserve(const std::string& origin, double per_second, Clock::time_point now,
                                           Clock::time_point deadline);

  // reserve() from now, then sleeps until the slot. false when none is free within `within`.
  bool wait(const std::string& origin, double per_second, std::chrono::milliseconds within);

 private:
  static constexpr std::size_t kMaxOrigins = 4096;  // registered nodes; past ones are forgotten

  std::mutex mutex_;
  std::unordered_map<std::string, Clock::time_point> next_free_;  // by origin
};

// `inner` with each request to an origin paced at FetchLimits::per_second; a request
// that finds no free slot within its timeout fails as timed out (transient).
std::unique_ptr<HttpGetter> paced(std::unique_ptr<HttpGetter> inner);

}  // namespace amis::federation
