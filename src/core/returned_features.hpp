#pragma once
// How many features the current request returned (issue 18, usage statistics): the
// server installs a count per request on the worker thread that serves it (like
// RequestBudget); a handler adds what its writer wrote (the store's cursor returns the
// number it pushed), and the server hands the sum to the usage statistics and /metrics
// once the response has ended. Adding is a thread-local increment: nothing waits.
// Work outside a request (the CLI, background tile seeding) adds to nothing.
#include <cstdint>

namespace amis::core {

class ReturnedFeatures {
 public:
  // Counts what this thread's handlers add until it is destroyed.
  ReturnedFeatures() noexcept : previous_(current_) { current_ = &count_; }
  ~ReturnedFeatures() { current_ = previous_; }
  ReturnedFeatures(const ReturnedFeatures&) = delete;
  ReturnedFeatures& operator=(const ReturnedFeatures&) = delete;

  // Adds `n` features to the current request's count; nothing without one.
  static void add(std::int64_t n) noexcept {
    if (current_ && n > 0) *current_ += n;
  }
  std::int64_t count() const noexcept { return count_; }

 private:
  static inline thread_local std::int64_t* current_ = nullptr;
  std::int64_t count_ = 0;
  std::int64_t* previous_;
};

}  // namespace amis::core
