#pragma once
// How a handler answers: a whole small body, or a stream of chunks for anything
// that grows with the data.
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/byte_sink.hpp"

namespace amis::http {

using core::ByteSink;

using Headers = std::vector<std::pair<std::string, std::string>>;

// Thrown by a ByteSink when the client went away; the request is abandoned.
struct ClientGone : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Response {
 public:
  virtual ~Response() = default;
  virtual void send(int status, std::string_view content_type, std::string body,
                    const Headers& headers = {}) = 0;
  // Sends the status and headers now; the body follows through the returned sink
  // in chunks and ends when the handler returns.
  virtual ByteSink& stream(int status, std::string_view content_type,
                           const Headers& headers = {}) = 0;
  // For a streamed answer whose ETag is known before its body: when the request is a
  // GET or HEAD whose If-None-Match names the ETag among `headers`, answers 304 Not
  // Modified with those headers and returns true (the handler sends nothing more).
  virtual bool not_modified(std::string_view content_type, const Headers& headers) = 0;
  // True once the status line has gone out: an error can no longer change it.
  virtual bool started() const = 0;
  // Drops a streamed response whose status line has not gone out yet.
  virtual void discard_unsent() = 0;
};

}  // namespace amis::http
