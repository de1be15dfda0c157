#pragma once
// The HTTP/1.1 server: one thread per connection reading requests with Beast and
// writing responses, streamed ones in chunks as the handler produces them.
#include <atomic>
#include <string>

#include "http/router.hpp"

namespace amis::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  unsigned short port = 8080;
  int max_connections = 256;
  int idle_timeout_seconds = 30;
  int io_timeout_seconds = 60;
  // The most time one request's work may take (queries, renders, warps) before it is
  // abandoned with a 503; the client leaving abandons it at once.
  int work_timeout_seconds = 60;
  std::size_t body_limit = 16 * 1024 * 1024;
};

class Server {
 public:
  Server(const Router& router, ServerOptions options);
  // Binds the port. @throws std::runtime_error when it cannot.
  void listen();
  // Accepts connections until stop() is called.
  void run();
  void stop();
  unsigned short port() const { return bound_port_; }

 private:
  void serve_connection(int fd);

  const Router& router_;
  ServerOptions options_;
  int listen_fd_ = -1;
  unsigned short bound_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
};

}  // namespace amis::http
