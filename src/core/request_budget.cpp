#include "core/request_budget.hpp"

namespace amis::core {

thread_local RequestBudget::State* RequestBudget::current_ = nullptr;

RequestBudget::RequestBudget(Clock::time_point deadline, int seconds,
                             std::shared_ptr<const std::atomic<bool>> client_gone)
    : state_{deadline, seconds, std::move(client_gone)}, previous_(current_) {
  current_ = &state_;
}

RequestBudget::~RequestBudget() { current_ = previous_; }

bool RequestBudget::exhausted() noexcept {
  const State* s = current_;
  if (!s) return false;
  if (s->client_gone && s->client_gone->load(std::memory_order_relaxed)) return true;
  return Clock::now() >= s->deadline;
}

void RequestBudget::check() {
  const State* s = current_;
  if (!s) return;
  if (s->client_gone && s->client_gone->load(std::memory_order_relaxed)) throw ClientDisconnected();
  if (Clock::now() >= s->deadline) throw DeadlineExceeded(s->seconds);
}

std::optional<double> RequestBudget::seconds_left() noexcept {
  const State* s = current_;
  if (!s) return std::nullopt;
  const double left = std::chrono::duration<double>(s->deadline - Clock::now()).count();
  return left > 0 ? left : 0.0;
}

RequestBudget::ClientWait::ClientWait() noexcept : start_(Clock::now()) {}

RequestBudget::ClientWait::~ClientWait() {
  if (current_) current_->deadline += Clock::now() - start_;
}

}  // namespace amis::core
