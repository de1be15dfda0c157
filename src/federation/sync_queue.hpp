#pragma once
// Syncs asked for by an administrator run in the background of `amis serve`
// (issue 16), as harvests do: the request is answered 202 at once, and one
// worker thread, at a lower CPU priority than those serving requests, pulls the
// node's change feed and keeps the report where GET /admin/nodes/{name}/sync
// reads it. A sync can take as long as the node's feed is; a request that waited
// for it would hold a server worker and time out in the client first.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "federation/node_sync.hpp"

namespace amis::federation {

class SyncQueue {
 public:
  explicit SyncQueue(NodeSync& sync);
  ~SyncQueue();  // stops after the run under way
  SyncQueue(const SyncQueue&) = delete;
  SyncQueue& operator=(const SyncQueue&) = delete;

  // Queues a sync of the node unless one is queued or running; false if it was.
  bool request(const std::string& node);
  // "queued", "running" or "idle": whether the node's report is final.
  std::string_view state(std::string_view node);

 private:
  void work();

  NodeSync& sync_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  std::set<std::string, std::less<>> queued_;
  std::string running_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace amis::federation
