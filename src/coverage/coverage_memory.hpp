#pragma once
// How much coverage output the process holds at once. Scaled, warped, PNG and
// CoverageJSON answers are encoded whole before they are sent (GDAL writes a
// GeoTIFF's header last), so eight 4096 x 4096 Float32 answers at once held 8 x 64
// MB and more; a native window is written as it is sent and holds one row of tiles
// (geotiff_stream.hpp). Every encoding (OGC API - Coverages, WCS 2.0.1 and 1.0.0)
// reserves what it holds from one budget and keeps it until the answer has been
// sent; a request that does not fit waits
// in turn for a while and is otherwise turned away with 503 and Retry-After. One
// answer larger than the whole budget (up to [coverages] max_response_mb) runs
// alone.
//
// One budget per process, on purpose, as render::render_gate(): what it shares out
// is the process's memory. The composition root sets it before serving.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <utility>

namespace amis::coverage {

struct CoverageMemoryLimits {
  std::int64_t budget_bytes = std::int64_t{128} << 20;  // [coverages] memory_budget_mb
  double max_wait_seconds = 30;                          // [coverages] memory_wait_seconds
  // GDAL's block cache, shared by every open grid (GDAL's own default is 5% of the
  // machine's memory, 1.2 GB on a 24 GB machine): [coverages] block_cache_mb.
  std::int64_t block_cache_bytes = std::int64_t{256} << 20;
};

class CoverageMemory {
 public:
  explicit CoverageMemory(CoverageMemoryLimits limits) : limits_(limits) {}

  // Bytes held until destroyed.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(CoverageMemory& memory, std::int64_t bytes) : memory_(&memory), bytes_(bytes) {}
    Reservation(Reservation&& other) noexcept
        : memory_(std::exchange(other.memory_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
    Reservation& operator=(Reservation&& other) noexcept;
    ~Reservation() { release(); }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    std::int64_t bytes() const { return bytes_; }

   private:
    void release();
    CoverageMemory* memory_ = nullptr;
    std::int64_t bytes_ = 0;
  };

  // Waits, first come first served, until `bytes` fit (or nothing else is held).
  // @throws core::ServiceBusy when they did not in time; core::DeadlineExceeded or
  // core::ClientDisconnected when the request's budget ran out while it waited.
  [[nodiscard]] Reservation reserve(std::int64_t bytes);

  void set_limits(CoverageMemoryLimits limits);
  std::int64_t held() const;

 private:
  void give_back(std::int64_t bytes);
  void advance();  // the next ticket's turn (under the mutex)

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  CoverageMemoryLimits limits_;
  std::int64_t held_ = 0;
  std::uint64_t next_ticket_ = 0;  // first come, first served: a big answer is not overtaken for ever
  std::uint64_t serving_ = 0;
  std::set<std::uint64_t> abandoned_;  // tickets that left the line before their turn
};

// The process's budget.
CoverageMemory& coverage_memory();
// Sets the budget and GDAL's block cache.
void configure_coverage_memory(const CoverageMemoryLimits& limits);

}  // namespace amis::coverage
