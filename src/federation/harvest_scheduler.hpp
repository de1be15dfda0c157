#pragma once
// Harvests in the background of `amis serve`: a planner wakes every few seconds,
// queues the nodes whose next run is due (or that an administrator asked for),
// and at most `concurrency` workers harvest them, at a lower CPU priority than
// the threads that serve requests. A node that fails is retried later and later
// (NodeRegistry::next_run_after), never in a tight loop.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "federation/node_registry.hpp"

namespace amis::federation {

class HarvestScheduler {
 public:
  // `after_run` is called after each run that read the node (its mirrors are copied then).
  HarvestScheduler(NodeRegistry& registry, int concurrency, std::function<void(const std::string&)> after_run = {});
  ~HarvestScheduler();  // stops: the runs under way finish their current page's work
  HarvestScheduler(const HarvestScheduler&) = delete;
  HarvestScheduler& operator=(const HarvestScheduler&) = delete;

  // Queues a run of the node (unless one is queued or running); false if it was.
  bool request(const std::string& node);

 private:
  void plan();
  void work();
  bool queue_locked(const std::string& node);

  NodeRegistry& registry_;
  std::function<void(const std::string&)> after_run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  std::set<std::string> pending_;  // queued or running
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace amis::federation
