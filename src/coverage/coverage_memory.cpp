#include "coverage/coverage_memory.hpp"
#include "coverage/decoded_tiles.hpp"

#include <gdal.h>

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::coverage {
namespace {

// A waiter looks at its request's budget this often.
constexpr auto kBudgetPoll = std::chrono::milliseconds(50);

}  // namespace

CoverageMemory::Reservation& CoverageMemory::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    release();
    memory_ = std::exchange(other.memory_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

void CoverageMemory::Reservation::release() {
  if (memory_) memory_->give_back(bytes_);
  memory_ = nullptr;
  bytes_ = 0;
}

CoverageMemory::Reservation CoverageMemory::reserve(std::int64_t bytes) {
  bytes = std::max<std::int64_t>(bytes, 0);
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  const auto fits = [&] {
    return ticket == serving_ && (held_ == 0 || held_ + bytes <= limits_.budget_bytes);
  };
  const int retry = std::max(1, static_cast<int>(limits_.max_wait_seconds / 4 + 0.5));
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(limits_.max_wait_seconds));
  while (!fits()) {
    if (core::RequestBudget::exhausted() || std::chrono::steady_clock::now() >= until) {
      // Out of the line: the ones behind move past this ticket.
      if (ticket == serving_) advance();
      else abandoned_.insert(ticket);
      freed_.notify_all();
      lock.unlock();
      core::RequestBudget::check();
      throw core::ServiceBusy("the server is sending as much coverage data as it holds at once; ask again shortly",
                              retry);
    }
    freed_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                              kBudgetPoll, until - std::chrono::steady_clock::now()));
  }
  advance();
  held_ += bytes;
  freed_.notify_all();
  return Reservation(*this, bytes);
}

void CoverageMemory::advance() {
  ++serving_;
  while (abandoned_.erase(serving_)) ++serving_;
}

void CoverageMemory::give_back(std::int64_t bytes) {
  std::lock_guard lock(mutex_);
  held_ -= bytes;
  freed_.notify_all();
}

void CoverageMemory::set_limits(CoverageMemoryLimits limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
  freed_.notify_all();
}

std::int64_t CoverageMemory::held() const {
  std::lock_guard lock(mutex_);
  return held_;
}

CoverageMemory& coverage_memory() {
  static CoverageMemory memory{CoverageMemoryLimits{}};
  return memory;
}

void configure_coverage_memory(const CoverageMemoryLimits& limits) {
  coverage_memory().set_limits(limits);
  GDALSetCacheMax64(limits.block_cache_bytes);
  decoded_tiles().set_budget(limits.block_cache_bytes);
}

}  // namespace amis::coverage
