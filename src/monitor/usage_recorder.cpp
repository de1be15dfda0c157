#include "monitor/usage_recorder.hpp"

#include <chrono>

#include "monitor/usage_classifier.hpp"

namespace amis::monitor {

std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

UsageRecorder::UsageRecorder(std::size_t queue_size, Clock clock)
    : queue_(queue_size), clock_(clock ? std::move(clock) : Clock(wall_clock_ms)) {}

void UsageRecorder::record(const http::Request& request, const http::Router::Outcome& outcome) noexcept {
  try {
    record(request, outcome, classify(request));
  } catch (...) {  // an allocation failure: the event is lost, the request is not
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

void UsageRecorder::record(const http::Request& request, const http::Router::Outcome& outcome,
                           Classification c) noexcept {
  try {
    UsageEvent e;
    e.time_ms = clock_();
    e.service = c.service;
    e.operation = c.operation;
    e.format = c.format;
    e.collection = std::move(c.collection);
    e.status = outcome.status;
    e.bytes = static_cast<std::int64_t>(outcome.bytes);
    e.latency_ms = outcome.milliseconds;
    e.features = outcome.features;
    e.peer = request.remote_address;
    e.forwarded_for = request.header("x-forwarded-for").substr(0, kMaxHeader);
    e.user_agent = request.header("user-agent").substr(0, kMaxHeader);
    e.member_state = request.member_state;
    if (queue_.try_push(e)) accepted_.fetch_add(1, std::memory_order_relaxed);
    else dropped_.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {  // an allocation failure: the event is lost, the request is not
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace amis::monitor
