#pragma once
// The HTTP/1.1 server, asynchronous (Boost.Beast on Asio): I/O threads accept
// connections and read requests under deadlines of their own (idle keep-alive,
// request head, request body), so thousands of idle or slow connections cost a
// few kilobytes each and never hold a thread. A complete request goes to a
// bounded pool of workers that run the handlers; their responses stream back to
// the connection chunk by chunk. A request whose client has gone is abandoned.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace amis::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  unsigned short port = 8080;
  // Connections held at once, in all and from one client address (trusted proxies
  // are held only to the total: many users arrive through them).
  int max_connections = 20000;  // lowered to what the open-file limit allows
  int max_connections_per_address = 256;
  std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
  // A keep-alive connection without a request is closed after idle_timeout_seconds.
  int idle_timeout_seconds = 30;
  // From its first byte, a request's head must arrive within head_timeout_seconds
  // and its body within body_timeout_seconds (a trickling client is closed).
  int head_timeout_seconds = 10;
  int body_timeout_seconds = 120;
  // A response write that makes no progress for this long ends the connection.
  int io_timeout_seconds = 60;
  // The most time one request's work may take (queries, renders, warps) before it is
  // abandoned with a 503; the client leaving abandons it at once.
  int work_timeout_seconds = 60;
  // Threads running handlers (0: four per core, at least 8) and requests that may
  // wait for one; beyond that a request is answered 503 with Retry-After at once.
  int workers = 0;
  int max_queued_requests = 2048;
  std::size_t body_limit = 16 * 1024 * 1024;
};

class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();
  // Binds the port. @throws std::runtime_error when it cannot.
  void listen();
  // Serves until stop() is called or the process gets SIGINT or SIGTERM.
  void run();
  // Stops accepting, lets running requests finish (a few seconds), then returns from run().
  // Safe from any thread.
  void stop();
  unsigned short port() const { return bound_port_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  unsigned short bound_port_ = 0;
};

}  // namespace amis::http
