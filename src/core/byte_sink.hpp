#pragma once
#include <string>
#include <string_view>

namespace amis::core {

// Where encoders write bytes: a chunked HTTP body, a file, a test string.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // @throws ClientGone (or any exception) when the bytes cannot be delivered.
  virtual void write(std::string_view bytes) = 0;
};

// Collects the bytes in a string (a page read before its header is written).
class StringSink final : public ByteSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void write(std::string_view bytes) override { out_.append(bytes); }

 private:
  std::string& out_;
};

}  // namespace amis::core
