#include "http/session.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <algorithm>
#include <future>

#include "core/request_budget.hpp"
#include "core/returned_features.hpp"
#include "http/request_head.hpp"
#include "http/stream_response.hpp"

namespace amis::http {
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
namespace net = boost::asio;
using boost::system::error_code;

namespace {

Request to_request(beast_http::request<beast_http::string_body>&& message, bool& bad) {
  Request request;
  request.method = std::string(message.method_string());
  const std::string_view target = message.target();
  const auto question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  auto query = question == std::string_view::npos ? std::optional<decltype(request.query)>(std::in_place)
                                                  : parse_query(target.substr(question + 1));
  bad = !path || !query || path->empty() || path->front() != '/';
  if (bad) return request;
  request.path = std::move(*path);
  request.query = std::move(*query);
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

// The worker's side of a connection: each write is done by the session's I/O
// thread, under the session's write deadline.
class SessionWriter final : public ResponseWriter {
 public:
  explicit SessionWriter(Session& session) : session_(session) {}
  bool write(std::string bytes) override { return session_.write_from_worker(std::move(bytes)); }

 private:
  Session& session_;
};

}  // namespace

Session::Session(net::ip::tcp::socket socket, const SessionContext& context, std::string peer,
                 ConnectionLimits::Slot slot)
    : stream_(std::move(socket)), context_(context), peer_(std::move(peer)), slot_(std::move(slot)) {}

void Session::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
}

// Between requests a connection may stay idle for idle_timeout_seconds; the
// head's own deadline starts with its first byte.
void Session::wait_for_request() {
  if (context_.stopping.load()) return close_gracefully();
  if (buffer_.size() > 0) return read_head();
  stream_.expires_after(std::chrono::seconds(context_.options.idle_timeout_seconds));
  // A small first read: an idle connection holds no more than this (the head's read grows it).
  stream_.async_read_some(buffer_.prepare(1024), [self = shared_from_this()](error_code ec, std::size_t n) {
    if (ec) return;  // idle too long, or the client closed: the session ends
    self->buffer_.commit(n);
    self->read_head();
  });
}

void Session::read_head() {
  received_ = Clock::now();
  parser_.emplace();
  parser_->header_limit(64 * 1024);
  parser_->body_limit(context_.options.body_limit);
  stream_.expires_after(std::chrono::seconds(context_.options.head_timeout_seconds));
  beast_http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](error_code ec, std::size_t) { self->on_head(ec); });
}

void Session::on_head(error_code ec) {
  if (ec == beast::error::timeout || ec == beast_http::error::end_of_stream || ec == net::error::eof) return;
  if (ec == beast_http::error::body_limit)  // its Content-Length says so before the body is sent
    return refuse(413, "the request body is larger than the server accepts (" +
                           std::to_string(context_.options.body_limit >> 20) + " MB)");
  if (ec == beast_http::error::header_limit)
    return refuse(431, "the request head is larger than the server accepts (64 KiB)");
  if (ec) return refuse(400, "malformed HTTP request: " + ec.message());
  const auto& head = parser_->get();
  if (auto problem = request_head_problem(head.version(), head.base())) return refuse(400, *problem);
  if (const auto length = parser_->content_length(); length && *length > context_.options.body_limit)
    return refuse(413, "the request body is larger than the server accepts (" +
                           std::to_string(context_.options.body_limit >> 20) + " MB)");
  if (parser_->is_done()) return hand_to_worker();
  if (beast::iequals(head[beast_http::field::expect], "100-continue")) {
    outgoing_ = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(std::chrono::seconds(context_.options.io_timeout_seconds));
    return net::async_write(stream_, net::buffer(outgoing_), [self = shared_from_this()](error_code e, std::size_t) {
      if (!e) self->read_body();
    });
  }
  read_body();
}

void Session::read_body() {
  stream_.expires_after(std::chrono::seconds(context_.options.body_timeout_seconds));
  beast_http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](error_code ec, std::size_t) { self->on_body(ec); });
}

void Session::on_body(error_code ec) {
  if (ec == beast_http::error::body_limit)
    return refuse(413, "the request body is larger than the server accepts (" +
                           std::to_string(context_.options.body_limit >> 20) + " MB)");
  if (ec == beast::error::timeout || ec == beast_http::error::end_of_stream || ec == net::error::eof ||
      ec == beast_http::error::partial_message)
    return;
  if (ec) return refuse(400, "malformed HTTP request body: " + ec.message());
  hand_to_worker();
}

void Session::hand_to_worker() {
  auto message = parser_->release();
  parser_.reset();
  // For the access log: a long filter is cut (a 1 MiB URL would be a 1 MiB log line).
  constexpr std::size_t kLoggedTarget = 8192;
  auto target = std::make_shared<std::string>(message.target().substr(0, kLoggedTarget));
  if (message.target().size() > kLoggedTarget) *target += "…";
  const unsigned version = message.version();
  const bool keep_alive = message.keep_alive() && !context_.stopping.load();
  bool bad = false;
  auto request = std::make_shared<Request>(to_request(std::move(message), bad));
  if (bad) return refuse(400, "malformed request target (percent-encoding or path)");
  request->remote_address = peer_;
  request->forwarded_https = is_trusted_proxy(context_.options.trusted_proxies, peer_) &&
                             beast::iequals(request->header("x-forwarded-proto"), "https");
  client_gone_ = std::make_shared<std::atomic<bool>>(false);
  stream_.expires_never();
  const bool queued = context_.workers.try_submit(
      [self = shared_from_this(), request, target, version, keep_alive] {
        self->serve(*request, *target, version, keep_alive);
      });
  if (!queued)
    return refuse(503, "the server is busy; try again in a moment", {{"Retry-After", "2"}});
  watching_ = true;
  watch_for_disconnect();
}

// Runs on a worker thread.
void Session::serve(Request& request, const std::string& target, unsigned version, bool keep_alive) {
  SessionWriter writer(*this);
  StreamResponse response(writer, exchange_of(request, version, keep_alive));
  const auto& options = context_.options;
  const core::ReturnedFeatures returned;  // what the handler's writers wrote, for the usage statistics
  if (!client_gone_->load()) {
    const core::RequestBudget budget(received_ + std::chrono::seconds(options.work_timeout_seconds),
                                     options.work_timeout_seconds, client_gone_);
    dispatch(context_.router, request, response);
  }
  const auto ms = std::chrono::duration<double, std::milli>(Clock::now() - received_).count();
  spdlog::get("access")->info("{} {} {} {} {:.1f}ms{}", request.method, target, response.status(),
                              response.bytes_sent(), ms, response.broken() ? " (client gone)" : "");
  if (const auto& observe = context_.router.observer())
    observe(request, {response.status(), response.bytes_sent(), ms, returned.count()});
  const bool reuse = response.reusable() && !client_gone_->load();
  net::post(stream_.get_executor(), [self = shared_from_this(), reuse] { self->after_response(reuse); });
}

bool Session::write_from_worker(std::string bytes) {
  if (client_gone_->load()) return false;
  std::promise<error_code> done;
  auto result = done.get_future();
  net::post(stream_.get_executor(), [this, &bytes, &done] {
    stream_.expires_after(std::chrono::seconds(context_.options.io_timeout_seconds));
    net::async_write(stream_, net::buffer(bytes), [&done](error_code ec, std::size_t) { done.set_value(ec); });
  });
  // The I/O threads stop only after the workers are done; a write never waits forever.
  const core::RequestBudget::ClientWait waiting;  // the client's pace is not the request's work
  while (result.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready)
    if (context_.io_stopped.load()) return false;
  if (result.get()) {
    client_gone_->store(true);
    return false;
  }
  return true;
}

// While a worker serves the request, a readable socket means either the next
// pipelined request (stop watching) or the client's end of the connection.
void Session::watch_for_disconnect() {
  stream_.socket().async_wait(net::socket_base::wait_read, [self = shared_from_this()](error_code ec) {
    if (ec || !self->watching_) return;
    char byte;
    const auto n = ::recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) return;  // a pipelined request: it waits its turn
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return self->watch_for_disconnect();
    self->client_gone_->store(true);
  });
}

void Session::after_response(bool keep_alive) {
  watching_ = false;
  error_code ignored;
  stream_.socket().cancel(ignored);  // the disconnect watch
  if (!keep_alive) return close_gracefully();
  if (buffer_.size() == 0) buffer_.shrink_to_fit();  // an idle connection keeps no large buffer
  wait_for_request();
}

void Session::refuse(int status, const std::string& message, const Headers& headers) {
  const unsigned version = parser_ && parser_->get().version() == 10 ? 10 : 11;
  outgoing_ = error_response_bytes(status, message, version, headers);
  stream_.expires_after(std::chrono::seconds(context_.options.io_timeout_seconds));
  net::async_write(stream_, net::buffer(outgoing_), [self = shared_from_this()](error_code ec, std::size_t) {
    if (!ec) {
      self->close_gracefully();
      self->stream_.expires_after(std::chrono::seconds(2));
      self->drain_then_close(1 << 20);
    }
  });
}

void Session::close_gracefully() {
  error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

// After an error answer, what the client still sends (the rest of a refused body)
// is read and dropped for a moment, so that closing does not reset the connection
// before the client has read the answer.
void Session::drain_then_close(std::size_t budget) {
  if (!discard_) discard_ = std::make_unique<std::array<char, 4096>>();
  stream_.async_read_some(net::buffer(*discard_), [self = shared_from_this(), budget](error_code ec, std::size_t n) {
    if (!ec && n < budget) self->drain_then_close(budget - n);
  });
}

}  // namespace amis::http
