#include "federation/sync_queue.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace amis::federation {

SyncQueue::SyncQueue(NodeSync& sync) : sync_(sync), thread_([this] { work(); }) {}

SyncQueue::~SyncQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool SyncQueue::request(const std::string& node) {
  {
    std::lock_guard lock(mutex_);
    if (!queued_.insert(node).second) return false;
    queue_.push_back(node);
  }
  wake_.notify_all();
  return true;
}

std::string_view SyncQueue::state(std::string_view node) {
  std::lock_guard lock(mutex_);
  if (running_ == node) return "running";
  if (queued_.count(node) > 0) return "queued";
  return "idle";
}

void SyncQueue::work() {
  // The sync yields the processors to the threads serving requests.
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10) != 0)
    spdlog::debug("federation: the sync thread keeps its priority");
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    running_ = queue_.front();
    queue_.pop_front();
    queued_.erase(running_);
    const std::string node = running_;
    lock.unlock();
    try {
      sync_.sync(node);  // logs and keeps its report
    } catch (const std::exception& e) {  // removed meanwhile, or a sync of another thread (the harvester's)
      spdlog::warn("federation: sync of node '{}' not run: {}", node, e.what());
    }
    lock.lock();
    running_.clear();
  }
}

}  // namespace amis::federation
