#include "http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "core/request_budget.hpp"
#include "http/socket_stream.hpp"
#include "http/stream_response.hpp"

namespace amis::http {
namespace beast_http = boost::beast::http;

SocketStream::SocketStream(int fd, int timeout_seconds) : fd_(fd) {
  timeval tv{timeout_seconds, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool SocketStream::wait_readable(int seconds) const {
  pollfd p{fd_, POLLIN, 0};
  for (;;) {
    const int n = ::poll(&p, 1, seconds * 1000);
    if (n < 0 && errno == EINTR) continue;
    return n > 0 && (p.revents & POLLIN);
  }
}

Server::Server(const Router& router, ServerOptions options)
    : router_(router), options_(std::move(options)) {}

void Server::listen() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("cannot create a socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(options_.port);
  if (::inet_pton(AF_INET, options_.host.c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("invalid listen address " + options_.host);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot listen on " + options_.host + ":" +
                             std::to_string(options_.port) + ": " + std::strerror(errno));
  if (::listen(listen_fd_, 512) != 0) throw std::runtime_error("listen failed");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  bound_port_ = ntohs(addr.sin_port);
}

void Server::run() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (connections_.load() >= options_.max_connections) {
      static constexpr char kBusy[] =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
          "Connection: close\r\n\r\n";
      [[maybe_unused]] auto sent = ::send(fd, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    ++connections_;
    std::thread([this, fd] {
      serve_connection(fd);
      --connections_;
    }).detach();
  }
  ::close(listen_fd_);
  // Give open connections a moment to finish their current response.
  for (int i = 0; i < 50 && connections_.load() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

void Server::stop() { stopping_ = true; }

namespace {

// The peer's address as text ("127.0.0.1", "::1").
std::string peer_address(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&address)->sin_addr, text, sizeof text);
  else if (address.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&address)->sin6_addr, text, sizeof text);
  return text;
}

Request to_request(beast_http::request<beast_http::string_body>& message, bool& bad) {
  Request request;
  request.method = std::string(message.method_string());
  const std::string_view target = message.target();
  const auto question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  auto query = question == std::string_view::npos ? std::optional<decltype(request.query)>(std::in_place)
                                                  : parse_query(target.substr(question + 1));
  bad = !path || !query;
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

}  // namespace

void Server::serve_connection(int fd) {
  SocketStream stream(fd, options_.io_timeout_seconds);
  const std::string peer = peer_address(fd);
  boost::beast::flat_buffer buffer;
  for (;;) {
    if (buffer.size() == 0 && !stream.wait_readable(options_.idle_timeout_seconds)) return;
    beast_http::request_parser<beast_http::string_body> parser;
    parser.body_limit(options_.body_limit);
    parser.header_limit(64 * 1024);
    boost::system::error_code ec;
    beast_http::read(stream, buffer, parser, ec);
    const auto started = std::chrono::steady_clock::now();
    if (ec == beast_http::error::end_of_stream || ec == boost::asio::error::eof) return;
    auto& message = parser.get();
    StreamResponse response(stream, message.version(), message.keep_alive(),
                            message.method() == beast_http::verb::head);
    if (ec) {
      if (ec == boost::asio::error::timed_out) return;
      if (ec == beast_http::error::body_limit)
        return response.send_error_and_close(413, "the request body is larger than the server accepts (" +
                                                      std::to_string(options_.body_limit >> 20) + " MB)");
      response.send_error_and_close(400, "malformed HTTP request: " + ec.message());
      return;
    }
    bool bad = false;
    Request request = to_request(message, bad);
    request.remote_address = peer;
    if (bad) {
      response.send_error_and_close(400, "malformed percent-encoding in the request target");
      return;
    }
    std::string target(message.target());
    {
      const core::RequestBudget budget(started + std::chrono::seconds(options_.work_timeout_seconds),
                                       options_.work_timeout_seconds, nullptr);
      dispatch(router_, request, response);
    }
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    spdlog::get("access")->info("{} {} {} {} {:.1f}ms", request.method, target, response.status(),
                                response.bytes_sent(), ms);
    if (!response.reusable()) return;
  }
}

}  // namespace amis::http
