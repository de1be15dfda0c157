#pragma once
// The Response of one HTTP exchange on a connection: whole bodies go out with a
// Content-Length, streamed ones as chunks of up to kChunkBytes.
#include <string>

#include "http/response.hpp"
#include "http/router.hpp"
#include "http/socket_stream.hpp"

namespace amis::http {

class StreamResponse final : public Response, private ByteSink {
 public:
  static constexpr std::size_t kChunkBytes = 64 * 1024;

  StreamResponse(SocketStream& stream, unsigned version, bool keep_alive, bool head_only);

  void send(int status, std::string_view content_type, std::string body,
            const Headers& headers = {}) override;
  ByteSink& stream(int status, std::string_view content_type, const Headers& headers = {}) override;
  bool started() const override { return status_ != 0; }

  // Ends a streamed body; marks the connection unusable when it could not finish.
  void finish();
  void abort() { broken_ = true; }
  void send_error_and_close(int status, const std::string& message);

  int status() const { return status_; }
  std::size_t bytes_sent() const { return bytes_; }
  bool reusable() const { return keep_alive_ && !broken_; }

 private:
  void write(std::string_view bytes) override;
  void flush_chunk();

  SocketStream& socket_;
  unsigned version_;
  bool keep_alive_;
  bool head_only_;
  bool streaming_ = false;
  bool broken_ = false;
  int status_ = 0;
  std::size_t bytes_ = 0;
  std::string pending_;
};

// Routes a request and runs its handler; the last line of defence: nothing a
// handler throws escapes, and a client never sees an internal message.
void dispatch(const Router& router, Request& request, StreamResponse& response);


}  // namespace amis::http
