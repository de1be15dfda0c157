#pragma once
// An index of the catalogue held in memory for one records version, rebuilt on a
// thread of its own when the version moves on (store/facet_index.hpp,
// store/record_extents.hpp). A build at most every few times its own duration, so
// that a catalogue written all the time (a harvest) spends at most a fifth of a core
// on it; until a build ends, searches use SQL, so answers never wait for it and are
// the same either way.
//
// `Index` has a nested `Builder` whose `finish(version) &&` returns
// std::optional<Index> (nullopt: the catalogue does not fit) and a `version()`.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace amis::store {

template <class Index>
class BackgroundIndex {
 public:
  // Reads the catalogue into the builder (in one read transaction) and returns the
  // records version it read; runs on the index's own thread.
  using Scan = std::function<std::int64_t(typename Index::Builder&)>;
  explicit BackgroundIndex(Scan scan) : scan_(std::move(scan)) {}
  ~BackgroundIndex() {
    if (thread_.joinable()) thread_.join();
  }
  BackgroundIndex(const BackgroundIndex&) = delete;
  BackgroundIndex& operator=(const BackgroundIndex&) = delete;

  // The index of `version` when it is built; otherwise nullptr, and a build starts
  // unless one is under way or the last ended too recently.
  std::shared_ptr<const Index> at(std::int64_t version) {
    std::lock_guard lock(mutex_);
    if (index_ && index_->version() == version) return index_;
    if (!building_ && std::chrono::steady_clock::now() >= next_build_) {
      if (thread_.joinable()) thread_.join();  // the last build, ended
      building_ = true;
      thread_ = std::thread([this] { build(); });
    }
    return nullptr;
  }

  // Waits until no build is under way (tests, benchmarks).
  void wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return !building_; });
  }

 private:
  void build() {
    const auto start = std::chrono::steady_clock::now();
    std::shared_ptr<const Index> built;
    try {
      typename Index::Builder builder;
      const std::int64_t version = scan_(builder);
      if (auto index = std::move(builder).finish(version)) built = std::make_shared<const Index>(std::move(*index));
    } catch (...) {
      // The store could not be read now (busy, closing): searches go on in SQL.
    }
    const auto end = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (built) index_ = std::move(built);
    building_ = false;
    // The next build no sooner than four times this one's duration (a second at least
    // after a failure).
    next_build_ = end + std::max<std::chrono::steady_clock::duration>(
                            4 * (end - start), built ? std::chrono::seconds(0) : std::chrono::seconds(1));
    idle_.notify_all();
  }

  Scan scan_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::shared_ptr<const Index> index_;
  bool building_ = false;
  std::chrono::steady_clock::time_point next_build_{};
  std::thread thread_;
};

}  // namespace amis::store
