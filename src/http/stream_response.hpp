#pragma once
// The Response of one HTTP exchange on a connection: whole bodies go out with a
// Content-Length, streamed ones as chunks of up to kChunkBytes. A streamed
// response sends its status line only with its first chunk, so an error found
// before then (a filter the database refuses, say) still becomes a proper error
// response; a body that never fills a chunk goes out whole, with a length.
#include <memory>
#include <string>

#include "http/compression.hpp"
#include "http/request.hpp"

#include "http/response.hpp"
#include "http/router.hpp"

namespace amis::http {

// Where a response's bytes go: the connection, written in order. Blocks until the
// bytes are handed to the socket (so a slow client slows its own request only).
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  // False when the client can no longer be reached (gone, or too slow to read).
  virtual bool write(std::string bytes) = 0;
};

// What the request says about how to answer it.
struct Exchange {
  unsigned version = 11;
  bool keep_alive = true;
  bool head_only = false;       // HEAD: the headers of a GET, no body
  bool conditional = false;     // GET or HEAD: ETag, If-None-Match and default caching apply
  bool credentials = false;     // Authorization or a cookie: the answer may hold restricted data
  ContentCoding coding = ContentCoding::identity;  // what Accept-Encoding accepts
  std::string if_none_match;
};

// The Exchange of a request.
Exchange exchange_of(const Request& request, unsigned version, bool keep_alive);

class StreamResponse final : public Response, private ByteSink {
 public:
  static constexpr std::size_t kChunkBytes = 64 * 1024;

  StreamResponse(ResponseWriter& out, Exchange exchange);

  void send(int status, std::string_view content_type, std::string body,
            const Headers& headers = {}) override;
  ByteSink& stream(int status, std::string_view content_type, const Headers& headers = {}) override;
  bool not_modified(std::string_view content_type, const Headers& headers) override;
  bool started() const override { return header_sent_ || (status_ != 0 && !streaming_); }

  // Ends a streamed body; marks the connection unusable when it could not finish.
  void finish();
  void abort() { broken_ = true; }
  // Forgets a streamed response whose header has not gone out, so that an error
  // response can take its place.
  void discard_unsent() override;
  void send_error_and_close(int status, const std::string& message);

  int status() const { return status_; }
  std::size_t bytes_sent() const { return bytes_; }
  bool reusable() const { return keep_alive_ && !broken_; }
  // True when the client stopped taking the answer before its end.
  bool broken() const { return broken_; }

 private:
  void write(std::string_view bytes) override;
  void flush_chunk();
  void send_chunk(std::string data);
  void send_stream_header();
  void send_not_modified(std::string_view content_type, const Headers& headers);
  // Whether this exchange is a conditional GET whose If-None-Match names the ETag among `headers`.
  bool names_current_etag(const Headers& headers) const;

  void put(std::string bytes);
  // The coding of an answer of this type and these headers (identity when the
  // handler chose its own Content-Encoding or the type does not compress).
  ContentCoding coding_for(std::string_view content_type, const Headers& headers) const;
  // The handler's headers with what the server adds to a successful GET: caching
  // (unless the handler chose its own) and, for a whole body, an ETag.
  Headers with_caching(int status, const Headers& headers, const std::string* body) const;

  ResponseWriter& out_;
  const Exchange exchange_;
  unsigned version_;
  bool keep_alive_;
  bool head_only_;
  bool streaming_ = false;
  bool header_sent_ = false;
  std::string content_type_;
  Headers headers_;
  bool broken_ = false;
  int status_ = 0;
  std::size_t bytes_ = 0;
  std::string pending_;
  std::unique_ptr<Compressor> compressor_;  // while a compressed stream is sent
};

// Routes a request and runs its handler; the last line of defence: nothing a
// handler throws escapes, and a client never sees an internal message.
void dispatch(const Router& router, Request& request, StreamResponse& response);

// A whole error response (JSON, as OGC API exceptions) that closes the connection,
// for errors found before a request reaches a handler: a bad head, a full queue.
std::string error_response_bytes(int status, const std::string& message, unsigned version,
                                 const Headers& headers = {});


}  // namespace amis::http
