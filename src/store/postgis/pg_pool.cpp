#include "store/postgis/pg_pool.hpp"

#include <poll.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::store::postgis {
namespace {

constexpr double kWaitWithoutBudget = 60.0;  // seconds; the CLI and background work

}  // namespace

Pool::Pool(std::string url, std::size_t size, Setup setup)
    : url_(std::move(url)), size_(size == 0 ? 1 : size), setup_(std::move(setup)) {
  idle_.push_back(open_connection());
  open_ = 1;
}

std::unique_ptr<Connection> Pool::open_connection() {
  auto connection = std::make_unique<Connection>(url_);
  if (setup_) setup_(*connection);
  return connection;
}

Pool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
  connection->abandon_streaming();
  const bool keep = connection->reusable();
  {
    std::lock_guard lock(mutex_);
    if (keep) idle_.push_back(std::move(connection));
    else --open_;
  }
  available_.notify_one();
  // A broken connection is closed here, outside the lock (PQfinish may block briefly).
}

Pool::Lease Pool::acquire() {
  const auto left = core::RequestBudget::seconds_left();
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(left ? *left : kWaitWithoutBudget));
  std::unique_ptr<Connection> connection;
  {
    std::unique_lock lock(mutex_);
    ++waiting_;
    const bool got = available_.wait_until(lock, until, [&] { return !idle_.empty() || open_ < size_; });
    --waiting_;
    if (!got) {
      core::RequestBudget::check();
      throw core::ServiceBusy("all " + std::to_string(size_) + " database connections are busy; ask again shortly",
                              1);
    }
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // taken now, opened below outside the lock
    }
  }
  if (connection) {
    // An idle connection has nothing to read: anything there (the server's
    // "terminating connection" before it closed — a restart, a failover,
    // pg_terminate_backend — or the end of the stream) means it is gone. Found
    // without a round trip; it is replaced by a new one.
    pollfd fd{PQsocket(connection->handle()), POLLIN, 0};
    if (fd.fd < 0 || ::poll(&fd, 1, 0) != 0 || PQstatus(connection->handle()) != CONNECTION_OK) {
      spdlog::info("PostgreSQL: an idle connection was lost; reconnecting");
      connection.reset();
    }
  }
  if (!connection) {
    try {
      connection = open_connection();
    } catch (const ConnectFailed& e) {
      spdlog::warn("PostgreSQL: {}", e.detail());
      {
        std::lock_guard lock(mutex_);
        --open_;
      }
      available_.notify_one();
      throw;
    } catch (...) {
      {
        std::lock_guard lock(mutex_);
        --open_;
      }
      available_.notify_one();
      throw;
    }
  }
  return Lease(*this, std::move(connection));
}

std::optional<Pool::Lease> Pool::try_acquire() {
  {
    std::lock_guard lock(mutex_);
    if (idle_.empty() && open_ >= size_) return std::nullopt;
  }
  try {
    return acquire();
  } catch (const core::OgcError&) {
    return std::nullopt;
  }
}

Pool::Stats Pool::stats() {
  std::lock_guard lock(mutex_);
  return {size_, open_, idle_.size(), waiting_};
}

}  // namespace amis::store::postgis
