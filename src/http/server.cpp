#include "http/server.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>
#include <thread>

#include "http/connection_limits.hpp"
#include "http/session.hpp"
#include "http/worker_pool.hpp"

namespace amis::http {
namespace net = boost::asio;
using net::ip::tcp;
using boost::system::error_code;

namespace {

int worker_count(int configured) {
  if (configured > 0) return configured;
  return std::max(8, 4 * static_cast<int>(std::thread::hardware_concurrency()));
}

// Raises the open-file limit to what the system allows, so that max_connections
// can be held; returns the connections that fit (some descriptors stay for files).
int connections_that_fit(int wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  const auto usable = limit.rlim_cur == RLIM_INFINITY ? wanted : static_cast<long long>(limit.rlim_cur) - 256;
  return static_cast<int>(std::max<long long>(16, std::min<long long>(wanted, usable)));
}

}  // namespace

struct Server::State {
  State(const Router& router, ServerOptions opts)
      : options(std::move(opts)),
        limits(static_cast<std::size_t>(connections_that_fit(options.max_connections)),
               static_cast<std::size_t>(std::max(1, options.max_connections_per_address)), options.trusted_proxies),
        acceptor(io),
        signals(io, SIGINT, SIGTERM),
        workers(worker_count(options.workers), static_cast<std::size_t>(std::max(1, options.max_queued_requests))),
        context{router, options, workers, stopping, io_stopped} {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || stopping) return;
      if (!ec) admit(std::move(socket));
      accept();
    });
  }

  void admit(tcp::socket socket) {
    error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return;
    std::string peer = endpoint.address().to_string();
    auto slot = limits.try_acquire(peer);
    if (!slot) {  // the kernel's buffer takes this short answer at once
      static constexpr char kBusy[] =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 5\r\nConnection: close\r\n\r\n";
      socket.non_blocking(true, ec);
      socket.send(net::buffer(kBusy, sizeof kBusy - 1), 0, ec);
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Session>(std::move(socket), context, std::move(peer), std::move(slot))->start();
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    // Running requests finish (up to 10 s); then the I/O threads stop, which ends idle
    // connections. run() joins this thread before the state it uses goes away.
    stopper = std::thread([this] {
      workers.drain(std::chrono::seconds(10));
      io.stop();
    });
  }

  // Declared so that the workers (which hold sessions) are joined first, before
  // the I/O context and the connection limits their sessions refer to.
  ServerOptions options;
  ConnectionLimits limits;
  std::atomic<bool> stopping{false};
  std::atomic<bool> io_stopped{false};
  net::io_context io;
  tcp::acceptor acceptor;
  net::signal_set signals;
  WorkerPool workers;
  SessionContext context;
  std::thread stopper;
};

Server::Server(const Router& router, ServerOptions options)
    : state_(std::make_unique<State>(router, std::move(options))) {}

Server::~Server() = default;

void Server::listen() {
  auto& s = *state_;
  error_code ec;
  const auto address = net::ip::make_address(s.options.host, ec);
  if (ec) throw std::runtime_error("invalid listen address " + s.options.host);
  const tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(4096, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) + ": " +
                             ec.message());
  bound_port_ = s.acceptor.local_endpoint().port();
}

void Server::run() {
  auto& s = *state_;
  s.signals.async_wait([&s](error_code ec, int) {
    if (!ec) s.begin_stop();
  });
  s.accept();
  s.io.run();  // one I/O thread: reading and writing bytes is cheap; workers do the rest
  s.io_stopped = true;
  if (s.stopper.joinable()) s.stopper.join();
  s.workers.drain(std::chrono::seconds(2));
}

void Server::stop() {
  net::post(state_->io, [this] { state_->begin_stop(); });
}

}  // namespace amis::http
