#pragma once
// One client connection: reads requests under deadlines (idle, head, body),
// refuses malformed or ambiguous heads, hands each request to a worker and
// writes what the worker's handler produces. While a handler runs, the session
// watches the socket: a client that closes it abandons the request's work.
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/connection_limits.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/worker_pool.hpp"

namespace amis::http {

// What every session of a server shares.
struct SessionContext {
  const Router& router;
  const ServerOptions& options;
  WorkerPool& workers;
  const std::atomic<bool>& stopping;    // no new requests on kept-alive connections
  const std::atomic<bool>& io_stopped;  // the I/O threads are gone: writes fail at once
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, const SessionContext& context, std::string peer,
          ConnectionLimits::Slot slot);
  // Starts reading requests; the session lives as long as its asynchronous operations.
  void start();

  // Called by a worker: writes `bytes` on the connection and waits for the write.
  // False when the client is gone or too slow.
  bool write_from_worker(std::string bytes);

 private:
  using Clock = std::chrono::steady_clock;

  void wait_for_request();
  void read_head();
  void on_head(boost::system::error_code ec);
  void read_body();
  void on_body(boost::system::error_code ec);
  void hand_to_worker();
  void serve(Request& request, const std::string& target, unsigned version, bool keep_alive);
  void watch_for_disconnect();
  void after_response(bool keep_alive);
  // Sends a whole response made on the I/O thread, then closes the connection.
  void refuse(int status, const std::string& message, const Headers& headers = {});
  void close_gracefully();
  void drain_then_close(std::size_t budget);

  boost::beast::tcp_stream stream_;
  const SessionContext& context_;
  const std::string peer_;
  ConnectionLimits::Slot slot_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Clock::time_point received_;
  std::shared_ptr<std::atomic<bool>> client_gone_;
  bool watching_ = false;
  std::string outgoing_;  // the bytes of a response written on the I/O thread
  std::unique_ptr<std::array<char, 4096>> discard_;  // only while draining a refused request
};

}  // namespace amis::http
