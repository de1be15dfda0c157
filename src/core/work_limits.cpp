#include "core/work_limits.hpp"

namespace amis::core {
namespace {

WorkLimits& current() {
  static WorkLimits limits;
  return limits;
}

}  // namespace

const WorkLimits& work_limits() { return current(); }

void set_work_limits(const WorkLimits& limits) { current() = limits; }

}  // namespace amis::core
