#include "render/render_gate.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::render {
namespace {

RenderLimits resolved(RenderLimits limits) {
  if (limits.max_concurrent <= 0)
    limits.max_concurrent = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (limits.max_queued <= 0) limits.max_queued = 4 * limits.max_concurrent;
  return limits;
}

// A waiter looks at its request's budget this often.
constexpr auto kBudgetPoll = std::chrono::milliseconds(50);

}  // namespace

RenderGate::RenderGate(RenderLimits limits) : limits_(resolved(limits)) {}

void RenderGate::set_limits(RenderLimits limits) {
  std::lock_guard lock(mutex_);
  limits_ = resolved(limits);
  freed_.notify_all();
}

RenderGate::Slot RenderGate::enter() {
  std::unique_lock lock(mutex_);
  if (drawing_ < limits_.max_concurrent && waiting_ == 0) {
    ++drawing_;
    return Slot(*this);
  }
  const int retry = std::max(1, static_cast<int>(limits_.max_wait_seconds + 0.5));
  if (waiting_ >= limits_.max_queued)
    throw core::ServiceBusy("the server is drawing as many maps as it can; ask again in a few seconds", retry);
  ++waiting_;
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(limits_.max_wait_seconds));
  while (drawing_ >= limits_.max_concurrent) {
    if (core::RequestBudget::exhausted() || std::chrono::steady_clock::now() >= until) {
      --waiting_;
      freed_.notify_all();
      lock.unlock();
      core::RequestBudget::check();
      throw core::ServiceBusy("the server is drawing as many maps as it can; ask again in a few seconds", retry);
    }
    freed_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                              kBudgetPoll, until - std::chrono::steady_clock::now()));
  }
  --waiting_;
  ++drawing_;
  return Slot(*this);
}

void RenderGate::leave() {
  std::lock_guard lock(mutex_);
  --drawing_;
  freed_.notify_all();
}

RenderGate::Slot::~Slot() {
  if (gate_) gate_->leave();
}

RenderGate& render_gate() {
  static RenderGate gate{RenderLimits{}};
  return gate;
}

void configure_render_gate(const RenderLimits& limits) { render_gate().set_limits(limits); }

}  // namespace amis::render
