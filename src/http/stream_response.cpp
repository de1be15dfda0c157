#include "http/stream_response.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include "core/request_budget.hpp"
#include "http/conditional.hpp"

namespace amis::http {
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {

// The headers every response carries, then the handler's own. HTML pages get a
// Content-Security-Policy: scripts and styles only from AMIS itself, no framing.
template <class Message>
void apply_headers(Message& message, std::string_view content_type, const Headers& headers,
                   ContentCoding coding = ContentCoding::identity) {
  message.set(beast_http::field::server, "AMIS");
  if (!content_type.empty()) message.set(beast_http::field::content_type, content_type);
  message.set(beast_http::field::access_control_allow_origin, "*");
  message.set(beast_http::field::access_control_expose_headers,
              "Content-Crs, Link, ETag, Location, Warning");
  message.set("X-Content-Type-Options", "nosniff");
  if (content_type.substr(0, 9) == "text/html") {
    message.set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
                "base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    message.set("X-Frame-Options", "DENY");
    message.set("Referrer-Policy", "same-origin");
  }
  for (const auto& [name, value] : headers) message.set(name, value);
  if (compressible(content_type)) {  // the answer depends on Accept-Encoding: caches must know
    const std::string vary(message[beast_http::field::vary]);
    if (vary.empty()) message.set(beast_http::field::vary, "Accept-Encoding");
    else if (vary.find("Accept-Encoding") == std::string::npos) message.set(beast_http::field::vary, vary + ", Accept-Encoding");
  }
  if (coding != ContentCoding::identity) message.set(beast_http::field::content_encoding, coding_name(coding));
}

bool has_header(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (beast::iequals(n, name)) return true;
  return false;
}

// Bodies smaller than this go out as they are: compressing them saves nothing.
constexpr std::size_t kMinCompressedBytes = 512;
// A whole body at least this large goes to the connection after its head rather than
// copied behind it (a z5 vector tile is tens of megabytes); a smaller one goes with
// its head in one write, one hand-off to the connection's thread.
constexpr std::size_t kSeparateBodyBytes = 64 * 1024;

// A SyncWriteStream that appends to a string: Beast serialises a head into it.
class StringWriteStream {
 public:
  explicit StringWriteStream(std::string& out) : out_(out) {}
  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
    std::size_t n = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::const_buffer b = *it;
      out_.append(static_cast<const char*>(b.data()), b.size());
      n += b.size();
    }
    ec = {};
    return n;
  }
  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers) {
    boost::system::error_code ec;
    return write_some(buffers, ec);
  }

 private:
  std::string& out_;
};

template <class Body>
std::string head_bytes(beast_http::response<Body>& message) {
  std::string out;
  StringWriteStream stream(out);
  beast_http::response_serializer<Body> serializer(message);
  boost::system::error_code ec;
  beast_http::write_header(stream, serializer, ec);
  return out;
}

std::string json_error(int status, const std::string& message) {
  std::string code = status == 404 ? "NotFound" : status == 405 ? "MethodNotAllowed"
                   : status == 413 ? "PayloadTooLarge" : status == 431 ? "RequestHeaderFieldsTooLarge"
                   : status == 503 ? "ServiceUnavailable" : status >= 500 ? "ServerError" : "BadRequest";
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
  }
  return R"({"code":")" + code + R"(","description":")" + escaped + "\"}";
}

}  // namespace


Exchange exchange_of(const Request& request, unsigned version, bool keep_alive) {
  Exchange e;
  e.version = version;
  e.keep_alive = keep_alive;
  e.head_only = request.method == "HEAD";
  e.conditional = request.method == "GET" || request.method == "HEAD";
  e.credentials = !request.header("authorization").empty() || !request.header("cookie").empty();
  e.coding = negotiate_coding(request.header("accept-encoding"));
  e.if_none_match = std::string(request.header("if-none-match"));
  return e;
}

StreamResponse::StreamResponse(ResponseWriter& out, Exchange exchange)
    : out_(out),
      exchange_(std::move(exchange)),
      version_(exchange_.version),
      keep_alive_(exchange_.keep_alive),
      head_only_(exchange_.head_only) {}

ContentCoding StreamResponse::coding_for(std::string_view content_type, const Headers& headers) const {
  if (exchange_.coding == ContentCoding::identity || !compressible(content_type) ||
      has_header(headers, "Content-Encoding"))
    return ContentCoding::identity;
  return exchange_.coding;
}

// A CDN may keep what anyone may read and revalidate it (no-cache: with the ETag,
// for a 304); what a caller with credentials reads may be restricted: private.
Headers StreamResponse::with_caching(int status, const Headers& headers, const std::string* body) const {
  Headers out = headers;
  if (!exchange_.conditional || status != 200) return out;
  if (!has_header(out, "Cache-Control")) {
    out.emplace_back("Cache-Control", exchange_.credentials ? "private, no-cache" : "public, no-cache");
    if (!has_header(out, "Vary")) out.emplace_back("Vary", "Authorization, Cookie");
  }
  if (body && !has_header(out, "ETag")) out.emplace_back("ETag", weak_etag(*body));
  return out;
}

void StreamResponse::put(std::string bytes) {
  if (!out_.write(std::move(bytes))) {
    broken_ = true;
    throw ClientGone("client closed the connection");
  }
}

void StreamResponse::send(int status, std::string_view content_type, std::string body,
                          const Headers& handler_headers) {
  const Headers headers = with_caching(status, handler_headers, &body);
  if (status == 200 && names_current_etag(headers)) return send_not_modified(content_type, headers);
  status_ = status;
  beast_http::response<beast_http::string_body> message{static_cast<beast_http::status>(status),
                                                        version_};
  const auto coding = body.size() >= kMinCompressedBytes ? coding_for(content_type, headers) : ContentCoding::identity;
  apply_headers(message, content_type, headers, coding);
  message.keep_alive(keep_alive_);
  message.body() = coding == ContentCoding::identity ? std::move(body) : Compressor(coding).compress(body, true);
  message.prepare_payload();
  std::string bytes = head_bytes(message);
  if (head_only_) {
    if (!out_.write(std::move(bytes))) broken_ = true;
    return;
  }
  bytes_ += message.body().size();
  if (message.body().size() >= kSeparateBodyBytes) {
    if (!out_.write(std::move(bytes)) || !out_.write(std::move(message.body()))) broken_ = true;
    return;
  }
  bytes += message.body();
  if (!out_.write(std::move(bytes))) broken_ = true;
}

// 304: the headers a 200 would carry (ETag, caching, Vary), no body.
bool StreamResponse::names_current_etag(const Headers& headers) const {
  if (!exchange_.conditional || exchange_.if_none_match.empty()) return false;
  for (const auto& [name, value] : headers)
    if (beast::iequals(name, "ETag") && none_match_names(exchange_.if_none_match, value)) return true;
  return false;
}

// "*" is not taken here: before its stream, the answer is not known to be a 200 (a
// request the handler will refuse must get its error, RFC 9110 13.2.1).
bool StreamResponse::not_modified(std::string_view content_type, const Headers& handler_headers) {
  const Headers headers = with_caching(200, handler_headers, nullptr);
  const auto first = exchange_.if_none_match.find_first_not_of(" \t");
  const bool any = first != std::string::npos && exchange_.if_none_match.compare(first, 1, "*") == 0;
  if (started() || any || !names_current_etag(headers)) return false;
  send_not_modified(content_type, headers);
  return true;
}

void StreamResponse::send_not_modified(std::string_view content_type, const Headers& headers) {
  status_ = 304;
  beast_http::response<beast_http::empty_body> message{beast_http::status::not_modified, version_};
  apply_headers(message, content_type, headers);
  message.erase(beast_http::field::content_type);
  message.keep_alive(keep_alive_);
  if (!out_.write(head_bytes(message))) broken_ = true;
}

ByteSink& StreamResponse::stream(int status, std::string_view content_type,
                                 const Headers& headers) {
  status_ = status;
  streaming_ = true;
  content_type_ = content_type;
  headers_ = headers;
  pending_.clear();
  return *this;
}

void StreamResponse::send_stream_header() {
  header_sent_ = true;
  beast_http::response<beast_http::empty_body> message{static_cast<beast_http::status>(status_),
                                                       version_};
  const auto coding = coding_for(content_type_, headers_);
  if (coding != ContentCoding::identity) compressor_ = std::make_unique<Compressor>(coding);
  apply_headers(message, content_type_, with_caching(status_, headers_, nullptr), coding);
  message.keep_alive(keep_alive_);
  if (version_ >= 11) message.chunked(true);
  else keep_alive_ = false;  // HTTP/1.0: the end of the body is the end of the connection
  put(head_bytes(message));
}

void StreamResponse::write(std::string_view bytes) {
  pending_.append(bytes);
  if (pending_.size() >= kChunkBytes) flush_chunk();
}

namespace {

std::string chunk_frame(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string size;
  for (std::size_t n = data.size(); n > 0; n >>= 4) size.insert(size.begin(), kHex[n & 15]);
  std::string out;
  out.reserve(size.size() + data.size() + 4);
  out.append(size).append("\r\n").append(data).append("\r\n");
  return out;
}

}  // namespace

void StreamResponse::flush_chunk() {
  if (!header_sent_) send_stream_header();
  if (pending_.empty() || head_only_) {
    pending_.clear();
    return;
  }
  std::string data = compressor_ ? compressor_->compress(pending_, false) : std::move(pending_);
  pending_.clear();
  send_chunk(std::move(data));
}

void StreamResponse::send_chunk(std::string data) {
  if (data.empty()) return;  // an empty chunk would end the body
  bytes_ += data.size();
  put(version_ >= 11 ? chunk_frame(data) : std::move(data));
}

void StreamResponse::finish() {
  if (!streaming_ || broken_) return;
  if (!header_sent_) {  // it all fitted in one chunk: send it whole
    streaming_ = false;
    send(status_, content_type_, std::move(pending_), headers_);
    return;
  }
  try {
    flush_chunk();
    if (compressor_ && !head_only_) send_chunk(compressor_->compress({}, true));
  } catch (const ClientGone&) {
    return;
  }
  if (version_ >= 11 && !head_only_ && !out_.write("0\r\n\r\n")) broken_ = true;
}

void StreamResponse::discard_unsent() {
  streaming_ = false;
  compressor_.reset();
  status_ = 0;
  pending_.clear();
}

std::string error_response_bytes(int status, const std::string& message, unsigned version, const Headers& headers) {
  beast_http::response<beast_http::string_body> response{static_cast<beast_http::status>(status), version};
  apply_headers(response, "application/json", headers);
  response.keep_alive(false);
  response.body() = json_error(status, message);
  response.prepare_payload();
  return head_bytes(response) + response.body();
}

void StreamResponse::send_error_and_close(int status, const std::string& message) {
  keep_alive_ = false;
  send(status, "application/json", json_error(status, message));
}

void dispatch(const Router& router, Request& request, StreamResponse& response) {
  try {
    if (request.method == "OPTIONS") {
      response.send(204, "", "",
                    {{"Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"},
                     {"Access-Control-Allow-Headers", "Accept, Content-Type, Authorization, If-Match, X-CSRF-Token"},
                     {"Access-Control-Max-Age", "86400"}});
      return;
    }
    const Handler* handler = nullptr;
    std::string allowed;
    switch (router.match(request, handler, allowed)) {
      case Router::Match::NotFound:
        response.send(404, "application/json", json_error(404, "no resource at " + request.path));
        return;
      case Router::Match::WrongMethod:
        response.send(405, "application/json",
                      json_error(405, request.method + " is not allowed here"), {{"Allow", allowed}});
        return;
      case Router::Match::Found: break;
    }
    if (router.middleware()) router.middleware()(request, response, *handler);
    else (*handler)(request, response);
    response.finish();
  } catch (const ClientGone&) {
    response.abort();
  } catch (const core::ClientDisconnected&) {
    response.abort();
  } catch (const core::OgcError& e) {  // a service that let its own error through
    if (response.started()) {
      response.abort();
    } else {
      response.discard_unsent();
      response.send(e.status(), "application/json", json_error(e.status(), e.what()));
    }
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", request.method, request.path, e.what());
    if (response.started()) {
      response.abort();
    } else {
      response.discard_unsent();
      response.send(500, "application/json", json_error(500, "internal server error"));
    }
  }
}

}  // namespace amis::http
