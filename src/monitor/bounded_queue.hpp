#pragma once
// A bounded multi-producer multi-consumer queue that never blocks (Dmitry Vyukov's
// array queue): each slot carries a sequence number, and a producer claims a slot
// with one compare-and-swap. try_push fails at once when the queue is full, so a
// request thread never waits for the usage aggregator.
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace amis::monitor {

template <typename T>
class BoundedQueue {
 public:
  // `capacity` is rounded up to a power of two (at least 2).
  explicit BoundedQueue(std::size_t capacity) {
    std::size_t size = 2;
    while (size < capacity) size <<= 1;
    mask_ = size - 1;
    slots_ = std::make_unique<Slot[]>(size);
    for (std::size_t i = 0; i < size; ++i) slots_[i].sequence.store(i, std::memory_order_relaxed);
  }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  std::size_t capacity() const { return mask_ + 1; }

  // False, leaving `value` as it was, when the queue is full.
  bool try_push(T& value) {
    std::size_t pos = tail_.load(std::memory_order_relaxed);
    for (;;) {
      Slot& slot = slots_[pos & mask_];
      const std::size_t seq = slot.sequence.load(std::memory_order_acquire);
      const auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos);
      if (diff == 0) {
        if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          slot.value = std::move(value);
          slot.sequence.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;  // full
      } else {
        pos = tail_.load(std::memory_order_relaxed);
      }
    }
  }

  std::optional<T> try_pop() {
    std::size_t pos = head_.load(std::memory_order_relaxed);
    for (;;) {
      Slot& slot = slots_[pos & mask_];
      const std::size_t seq = slot.sequence.load(std::memory_order_acquire);
      const auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos + 1);
      if (diff == 0) {
        if (head_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          std::optional<T> out(std::move(slot.value));
          slot.value = T{};
          slot.sequence.store(pos + mask_ + 1, std::memory_order_release);
          return out;
        }
      } else if (diff < 0) {
        return std::nullopt;  // empty
      } else {
        pos = head_.load(std::memory_order_relaxed);
      }
    }
  }

  // An estimate while producers and consumers run.
  std::size_t size() const {
    const auto t = tail_.load(std::memory_order_relaxed);
    const auto h = head_.load(std::memory_order_relaxed);
    return t > h ? t - h : 0;
  }

 private:
  struct Slot {
    std::atomic<std::size_t> sequence{0};
    T value{};
  };
  std::unique_ptr<Slot[]> slots_;
  std::size_t mask_ = 0;
  alignas(64) std::atomic<std::size_t> tail_{0};
  alignas(64) std::atomic<std::size_t> head_{0};
};

}  // namespace amis::monitor
