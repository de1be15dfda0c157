#pragma once
// Where a store cursor pushes features: an encoder writing to a socket, a file
// writer, a test collector. Sinks write as they receive, so memory stays flat.
#include <cstdint>
#include <optional>

#include "core/collection.hpp"
#include "core/feature.hpp"

namespace amis::core {

class FeatureSink {
 public:
  virtual ~FeatureSink() = default;
  virtual void begin(const Collection& collection) = 0;
  // @throws any exception to stop the cursor (for example a client that went away).
  virtual void feature(const FeatureView& feature) = 0;
  virtual void end() = 0;
};

}  // namespace amis::core
