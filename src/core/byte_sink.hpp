#pragma once
#include <string_view>

namespace amis::core {

// Where encoders write bytes: a chunked HTTP body, a file, a test string.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // @throws ClientGone (or any exception) when the bytes cannot be delivered.
  virtual void write(std::string_view bytes) = 0;
};

}  // namespace amis::core
