#pragma once
// Limits on the work one request may ask for that hold in the whole process, for
// every protocol and store alike (as core::RequestBudget's deadline does). The
// composition root sets them from amis.toml before serving; they are only read
// afterwards.
#include <cstddef>

namespace amis::core {

struct WorkLimits {
  // The most vertices the geometry literals of one filter may have together: each
  // literal is tested against every candidate feature, and the work of a test grows
  // with its vertices. Beyond it: 400, InvalidParameterValue ([features] max_filter_vertices).
  std::size_t max_filter_vertices = 10'000;
};

const WorkLimits& work_limits();
// Call before serving, never while requests are served.
void set_work_limits(const WorkLimits& limits);

}  // namespace amis::core
