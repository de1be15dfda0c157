#pragma once
#include <algorithm>
#include <limits>

namespace amis::core {

// An axis-aligned box in CRS84 (longitude, latitude) unless stated otherwise.
struct Envelope {
  double min_x = std::numeric_limits<double>::infinity();
  double min_y = std::numeric_limits<double>::infinity();
  double max_x = -std::numeric_limits<double>::infinity();
  double max_y = -std::numeric_limits<double>::infinity();

  bool empty() const { return min_x > max_x || min_y > max_y; }

  void expand(double x, double y) {
    min_x = std::min(min_x, x);
    min_y = std::min(min_y, y);
    max_x = std::max(max_x, x);
    max_y = std::max(max_y, y);
  }
  void expand(const Envelope& other) {
    if (other.empty()) return;
    expand(other.min_x, other.min_y);
    expand(other.max_x, other.max_y);
  }
  bool intersects(const Envelope& o) const {
    return !(o.min_x > max_x || o.max_x < min_x || o.min_y > max_y || o.max_y < min_y);
  }
};

}  // namespace amis::core
