#pragma once
// A typed request for features, the same for every protocol and every store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/datetime.hpp"
#include "core/envelope.hpp"

namespace amis::core {

// `property=value` on a queryable property (OGC API - Features Part 1, 7.15.5).
struct PropertyEquals {
  std::string property;
  std::string value;
};

struct FeatureQuery {
  std::string collection;
  std::optional<Envelope> bbox;  // CRS84
  std::optional<TimeInterval> datetime;
  std::vector<PropertyEquals> equals;
  std::int64_t limit = 10;
  std::int64_t offset = 0;
};

}  // namespace amis::core
