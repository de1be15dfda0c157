#include "federation/node_pacer.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace amis::federation {
namespace {

FetchFailed no_slot(double per_second) {
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", per_second);
  return FetchFailed(std::string("the node's rate limit (") + rate +
                         " requests a second) left no moment free for this request within its deadline",
                     true, 0, true);
}

class PacedGetter final : public HttpGetter {
 public:
  explicit PacedGetter(std::unique_ptr<HttpGetter> inner) : inner_(std::move(inner)) {}

  Fetched get(const NodeUrl& url, std::string_view accept, std::string_view bearer_token,
              const FetchLimits& limits, const Validators& if_changed) override {
    if (!(limits.per_second > 0)) return inner_->get(url, accept, bearer_token, limits, if_changed);
    const bool one_deadline = limits.pace_within.count() <= 0;
    const auto start = NodePacer::Clock::now();
    if (!pacer_.wait(url.origin(), limits.per_second, one_deadline ? limits.timeout : limits.pace_within))
      throw no_slot(limits.per_second);
    if (!one_deadline) return inner_->get(url, accept, bearer_token, limits, if_changed);
    // The wait and the exchange within the one timeout.
    FetchLimits rest = limits;
    rest.timeout -= std::chrono::duration_cast<std::chrono::milliseconds>(NodePacer::Clock::now() - start);
    if (rest.timeout.count() <= 0) throw no_slot(limits.per_second);
    return inner_->get(url, accept, bearer_token, rest, if_changed);
  }

 private:
  std::unique_ptr<HttpGetter> inner_;
  NodePacer pacer_;
};

}  // namespace

std::unique_ptr<HttpGetter> paced(std::unique_ptr<HttpGetter> inner) {
  return std::make_unique<PacedGetter>(std::move(inner));
}

std::optional<NodePacer::Clock::time_point> NodePacer::reserve(const std::string& origin, double per_second,
                                                               Clock::time_point now, Clock::time_point deadline) {
  if (!(per_second > 0)) return now;
  const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_second));
  std::lock_guard lock(mutex_);
  if (next_free_.size() >= kMaxOrigins && !next_free_.count(origin))
    std::erase_if(next_free_, [now](const auto& entry) { return entry.second <= now; });
  auto [at, fresh] = next_free_.try_emplace(origin, now);
  const auto slot = fresh ? now : std::max(now, at->second);
  if (slot > deadline) return std::nullopt;
  at->second = slot + interval;
  return slot;
}

bool NodePacer::wait(const std::string& origin, double per_second, std::chrono::milliseconds within) {
  const auto now = Clock::now();
  const auto slot = reserve(origin, per_second, now, now + within);
  if (!slot) return false;
  if (*slot > now) std::this_thread::sleep_until(*slot);
  return true;
}

}  // namespace amis::federation
