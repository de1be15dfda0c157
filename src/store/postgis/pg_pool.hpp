#pragma once
// A bounded pool of PostgreSQL connections ([store] pool_size, default 8): at
// most that many per amis node whatever the number of clients. A request waits
// for a free connection as long as its deadline allows, then gets a 503 with
// Retry-After (core::ServiceBusy); outside a request (the CLI) it waits up to a
// minute. Broken connections are closed on return and replaced on demand.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/postgis/pg_connection.hpp"

namespace amis::store::postgis {

class Pool {
 public:
  // Runs on each new connection before first use (session settings).
  using Setup = std::function<void(Connection&)>;

  // Opens one connection at once, so that a wrong URL or password fails here.
  // @throws ConnectFailed
  Pool(std::string url, std::size_t size, Setup setup = {});

  // A connection lent to one caller; returned (or closed, if broken) on destruction.
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection) : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // A connection, waiting for one at most until the request's deadline.
  // @throws core::ServiceBusy when none came free in time, ConnectFailed
  // (a core::StoreUnavailable) when a new one cannot be opened.
  Lease acquire();

  // A connection only if one is idle or may be opened now, without waiting (a
  // second loader for an import that can do without).
  std::optional<Lease> try_acquire();

  struct Stats {
    std::size_t size = 0;     // the bound
    std::size_t open = 0;     // connections that exist (idle + lent)
    std::size_t idle = 0;
    std::size_t waiting = 0;  // callers waiting for one
  };
  Stats stats();
  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<Connection> open_connection();
  void give_back(std::unique_ptr<Connection> connection);

  std::string url_;
  std::size_t size_;
  Setup setup_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace amis::store::postgis
