#include "federation/harvest_scheduler.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

namespace amis::federation {
namespace {

constexpr auto kPlanEvery = std::chrono::seconds(2);

// Harvest threads yield the processors to the ones serving requests.
void lower_priority() {
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, tid, 10) != 0) spdlog::debug("federation: harvest threads keep their priority");
}

}  // namespace

HarvestScheduler::HarvestScheduler(NodeRegistry& registry, int concurrency,
                                   std::function<void(const std::string&)> after_run)
    : registry_(registry), after_run_(std::move(after_run)) {
  threads_.emplace_back([this] { plan(); });
  for (int i = 0; i < std::max(1, concurrency); ++i) threads_.emplace_back([this] { work(); });
}

HarvestScheduler::~HarvestScheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

bool HarvestScheduler::queue_locked(const std::string& node) {
  if (!pending_.insert(node).second) return false;
  queue_.push_back(node);
  return true;
}

bool HarvestScheduler::request(const std::string& node) {
  bool queued = false;
  {
    std::lock_guard lock(mutex_);
    queued = queue_locked(node);
  }
  wake_.notify_all();
  return queued;
}

void HarvestScheduler::plan() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    std::vector<std::string> due;
    try {
      const auto now = static_cast<std::int64_t>(std::time(nullptr));
      for (const auto& n : registry_.nodes())
        if (n.schedule_seconds > 0 && n.next_run <= now) due.push_back(n.name);
    } catch (const std::exception& e) {
      spdlog::warn("federation: the nodes could not be read: {}", e.what());
    }
    lock.lock();
    bool any = false;
    for (const auto& name : due) any = queue_locked(name) || any;
    if (any) wake_.notify_all();
    wake_.wait_for(lock, kPlanEvery, [this] { return stopping_; });
  }
}

void HarvestScheduler::work() {
  lower_priority();
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::string node = queue_.front();
    queue_.pop_front();
    lock.unlock();
    try {
      const auto run = registry_.harvest(node);  // logs and keeps its report
      if (run.status != RunStatus::Failed && after_run_) after_run_(node);
    } catch (const std::exception& e) {
      spdlog::warn("federation: harvest of node '{}' not run: {}", node, e.what());
    }
    lock.lock();
    pending_.erase(node);
  }
}

}  // namespace amis::federation
