#pragma once
// One run of a kind (a harvest, a sync) per node at a time in this process: the
// node's name is in `running` for the mark's scope.
#include <mutex>
#include <set>
#include <string>

#include "core/error.hpp"

namespace amis::federation {

class RunningMark {
 public:
  // @throws core::Conflict ("a <what> of node 'NAME' is running") when one is.
  RunningMark(std::mutex& mutex, std::set<std::string, std::less<>>& running, std::string name, const char* what)
      : mutex_(mutex), running_(running), name_(std::move(name)) {
    std::lock_guard lock(mutex_);
    if (!running_.insert(name_).second)
      throw core::Conflict("a " + std::string(what) + " of node '" + name_ + "' is running");
  }
  ~RunningMark() {
    std::lock_guard lock(mutex_);
    running_.erase(name_);
  }
  RunningMark(const RunningMark&) = delete;
  RunningMark& operator=(const RunningMark&) = delete;

 private:
  std::mutex& mutex_;
  std::set<std::string, std::less<>>& running_;
  std::string name_;
};

}  // namespace amis::federation
