#pragma once
// What one request may spend: a deadline, and a flag the HTTP layer raises when
// the client has gone. The server sets one per request on the worker thread that
// serves it (like auth::RequestPrincipal); long work asks now and then and stops:
// an SQLite statement (progress handler), a GDAL warp (progress callback), a
// render's feature reading, a loop of GEOS predicates, an upload's reader.
// Work outside a request (the CLI, tests) has no budget and never stops.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace amis::core {

// The request's deadline passed before its work was done (503: the server gave
// up; asking again for less — a smaller box, fewer vertices — may succeed).
struct DeadlineExceeded : OgcError {
  explicit DeadlineExceeded(int seconds)
      : OgcError(503, "OperationProcessingTimeout",
                 "the request needs more work than the server gives one request (" + std::to_string(seconds) +
                     " s); ask for less") {}
};

// The client closed its connection: nobody will read the answer. Never shown to anyone.
struct ClientDisconnected : std::runtime_error {
  ClientDisconnected() : std::runtime_error("the client closed the connection") {}
};

class RequestBudget {
 public:
  using Clock = std::chrono::steady_clock;

  // Installs a budget for the work this thread does until it is destroyed.
  RequestBudget(Clock::time_point deadline, int seconds, std::shared_ptr<const std::atomic<bool>> client_gone);
  ~RequestBudget();
  RequestBudget(const RequestBudget&) = delete;
  RequestBudget& operator=(const RequestBudget&) = delete;

  // True when the current thread's request should stop (deadline passed or client gone);
  // false when the thread serves no request. Cheap: call it in inner loops.
  static bool exhausted() noexcept;
  // Throws when exhausted(): ClientDisconnected or DeadlineExceeded.
  // @throws ClientDisconnected, DeadlineExceeded
  static void check();
  // Seconds left (at least 0), or nullopt without a budget: for a statement timeout.
  static std::optional<double> seconds_left() noexcept;

  // Waiting for a slow client to take the bytes written is not the server's work: while
  // a ClientWait lives on this thread, the deadline moves on by the time it waits, so a
  // large download to a slow client is not cut off at the work timeout (a stalled client
  // is bounded by the socket's I/O timeout instead). No effect without a budget.
  class ClientWait {
   public:
    ClientWait() noexcept;
    ~ClientWait();
    ClientWait(const ClientWait&) = delete;
    ClientWait& operator=(const ClientWait&) = delete;

   private:
    Clock::time_point start_;
  };

 private:
  struct State {
    Clock::time_point deadline;
    int seconds;
    std::shared_ptr<const std::atomic<bool>> client_gone;
  };
  static thread_local State* current_;
  State state_;
  State* previous_;
};

}  // namespace amis::core
