#pragma once
// The request path's side of the usage statistics: each ended exchange becomes a
// UsageEvent pushed onto a bounded queue without waiting; when the queue is full
// the event is dropped and counted. Nothing here touches the store or a file.
#include <atomic>
#include <cstdint>
#include <functional>

#include "http/router.hpp"
#include "monitor/bounded_queue.hpp"
#include "monitor/usage_classifier.hpp"
#include "monitor/usage_event.hpp"

namespace amis::monitor {

// Milliseconds since the epoch by the system clock.
std::int64_t wall_clock_ms();

class UsageRecorder {
 public:
  // Milliseconds since the epoch: the wall clock unless a test injects its own.
  using Clock = std::function<std::int64_t()>;
  explicit UsageRecorder(std::size_t queue_size, Clock clock = {});

  // Classifies the request and enqueues its event. Never blocks, never throws.
  void record(const http::Request& request, const http::Router::Outcome& outcome) noexcept;
  // The same for a request classified already (the observer classifies once for every counter).
  void record(const http::Request& request, const http::Router::Outcome& outcome, Classification what) noexcept;

  BoundedQueue<UsageEvent>& queue() { return queue_; }
  std::size_t queue_capacity() const { return queue_.capacity(); }
  std::size_t queue_depth() const { return queue_.size(); }
  std::uint64_t accepted() const { return accepted_.load(std::memory_order_relaxed); }
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  BoundedQueue<UsageEvent> queue_;
  Clock clock_;
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace amis::monitor
