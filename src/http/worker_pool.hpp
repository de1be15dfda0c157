#pragma once
// A bounded pool of threads for the work of requests (queries, encoding, renders):
// the I/O threads only read requests and write bytes; a request waits here for a
// worker, and when the queue is full it is refused at once (503) rather than
// piling up memory and latency.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace amis::http {

class WorkerPool {
 public:
  WorkerPool(int threads, std::size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false when max_queued jobs already wait (the caller refuses the request).
  bool try_submit(std::function<void()> job);
  // Jobs queued or running.
  std::size_t pending() const;
  // Waits up to `timeout` for every queued and running job to end; true when they did.
  bool drain(std::chrono::milliseconds timeout);

 private:
  void run();

  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace amis::http
