#include "store/postgis/pg_databases.hpp"

#include <algorithm>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/read_routing.hpp"
#include "core/request_budget.hpp"

namespace amis::store::postgis {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kLagCheckEvery = std::chrono::seconds(1);
constexpr auto kFirstRetry = std::chrono::seconds(1);
constexpr auto kLongestRetry = std::chrono::seconds(30);

// A replica's replay delay: 0 while it has replayed all it received, else the age
// of the last transaction it replayed. A promoted replica (not in recovery) has none.
constexpr const char* kLagSql =
    "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0) END::float8";

// Every connection of a node, before first use: no JIT and no parallel plans. A node
// runs many short statements side by side, at most pool_size at once. PostGIS costs
// ST_Intersects high, so a bbox over a few thousand rows (a vector tile) passes
// jit_above_cost and is compiled again for tens of ms at every execution, and a
// parallel plan adds worker backends beyond pool_size that compete for the same
// cores. On 5,000,000 points (bench/peer_postgis.py) a 10,800-point tile's query took
// 390-450 ms with both and 38-42 ms without.
//
// No statement_timeout: the node cancels a statement itself (PQcancel) when its
// request's deadline passes or its client goes, and that deadline moves on while
// a download waits for a slow client. PostgreSQL's own timeout counts the time a
// streamed statement waits for the node to take its rows, so it cut exports to
// slow clients at the work timeout. client_connection_check_interval instead lets
// PostgreSQL end the statement of a node that died, within 10 s.
void node_session(Connection& connection) {
  connection.exec("SELECT set_config('jit', 'off', false), set_config('max_parallel_workers_per_gather', '0', false), "
                  "set_config('statement_timeout', '0', false), "
                  "set_config('client_connection_check_interval', '10000', false)");
}

double lag_of(Connection& connection) { return std::stod(std::string(connection.exec(kLagSql).text(0, 0))); }

PoolState pool_state(Pool& pool) {
  const auto s = pool.stats();
  return {static_cast<int>(s.size), static_cast<int>(s.open), static_cast<int>(s.open - s.idle),
          static_cast<int>(s.waiting)};
}

}  // namespace

struct Databases::Replica {
  std::string url;
  std::mutex mutex;             // guards the fields below
  std::unique_ptr<Pool> pool;   // null until first reached; then kept (it replaces broken connections)
  Clock::time_point retry_at{};  // not before this after a failure
  std::chrono::seconds backoff = kFirstRetry;
  Clock::time_point lag_checked{};
  std::optional<double> lag;
  std::string error;  // the last failure, for /health (no credentials)
};

std::string database_name(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    PQfreemem(error);
    return "(unparsable URL)";
  }
  std::string host, port, dbname;
  for (auto* o = options; o->keyword; ++o) {
    if (!o->val) continue;
    const std::string key = o->keyword;
    if (key == "host" || key == "hostaddr") host = host.empty() ? o->val : host;
    else if (key == "port") port = o->val;
    else if (key == "dbname") dbname = o->val;
  }
  PQconninfoFree(options);
  if (host.empty()) host = "localhost";
  return host + (port.empty() ? "" : ":" + port) + "/" + dbname;
}

Databases::Databases(DatabaseSettings settings) : settings_(std::move(settings)) {
  primary_ = std::make_unique<Pool>(settings_.primary, settings_.pool_size, node_session);
  for (const auto& url : settings_.replicas) {
    auto replica = std::make_unique<Replica>();
    replica->url = url;
    replicas_.push_back(std::move(replica));
  }
}

Databases::~Databases() = default;

void Databases::drop(Replica& replica, const std::string& reason) {
  // Called with replica.mutex held. The pool stays: its broken connections are
  // replaced when the replica is tried again.
  if (replica.error.empty())
    spdlog::warn("PostgreSQL replica {} dropped ({}); reads go elsewhere, retried in {} s",
                 database_name(replica.url), reason, replica.backoff.count());
  replica.error = reason;
  replica.lag.reset();
  replica.retry_at = Clock::now() + replica.backoff;
  replica.backoff = std::min(replica.backoff * 2, kLongestRetry);
}

void Databases::answered(Replica& replica, std::optional<double> lag) {
  std::lock_guard lock(replica.mutex);
  if (lag) replica.lag = lag;
  if (!replica.error.empty()) {
    spdlog::info("PostgreSQL replica {} is back", database_name(replica.url));
    replica.error.clear();
    replica.backoff = kFirstRetry;
  }
}

Pool* Databases::replica_pool(Replica& replica, bool& check_lag) {
  std::lock_guard lock(replica.mutex);
  const auto now = Clock::now();
  if (!replica.error.empty() && now < replica.retry_at) return nullptr;  // dropped: not yet
  check_lag = !replica.lag || now - replica.lag_checked >= kLagCheckEvery;
  if (check_lag) replica.lag_checked = now;  // one reader a second asks
  else if (*replica.lag > settings_.max_lag_seconds) return nullptr;  // too far behind
  if (!replica.pool) {
    try {
      replica.pool = std::make_unique<Pool>(replica.url, settings_.pool_size, node_session);
    } catch (const std::exception&) {
      drop(replica, "unreachable");
      return nullptr;
    }
  }
  return replica.pool.get();  // lives as long as this object
}

std::optional<Pool::Lease> Databases::replica_lease(Replica& replica) {
  bool check_lag = false;
  Pool* pool = replica_pool(replica, check_lag);
  if (!pool) return std::nullopt;
  try {
    auto lease = pool->acquire();  // outside the replica's lock: waits only for its own pool
    const std::optional<double> lag = check_lag ? std::optional<double>(lag_of(*lease)) : std::nullopt;
    answered(replica, lag);
    if (lag && *lag > settings_.max_lag_seconds) return std::nullopt;  // too far behind: the primary answers
    return lease;
  } catch (const core::ServiceBusy&) {
    return std::nullopt;  // its pool stayed full: the primary takes this read
  } catch (const core::DeadlineExceeded&) {
    throw;
  } catch (const core::ClientDisconnected&) {
    throw;
  } catch (const std::exception&) {
    std::lock_guard lock(replica.mutex);
    drop(replica, "unreachable");
  }
  return std::nullopt;
}

Pool::Lease Databases::read() {
  if (replicas_.empty() || !core::ReplicaReads::allowed()) return primary_->acquire();
  std::size_t first = 0;
  {
    std::lock_guard lock(turn_mutex_);
    first = turn_++ % replicas_.size();
  }
  for (std::size_t i = 0; i < replicas_.size(); ++i)
    if (auto lease = replica_lease(*replicas_[(first + i) % replicas_.size()])) return std::move(*lease);
  return primary_->acquire();
}

std::vector<DatabaseHealth> Databases::health() {
  std::vector<DatabaseHealth> out;
  DatabaseHealth primary;
  primary.role = "primary";
  primary.name = database_name(settings_.primary);
  try {
    auto lease = primary_->acquire();
    lease->exec("SELECT 1");
    primary.reachable = true;
  } catch (const std::exception&) {
    primary.error = "unreachable";
  }
  primary.pool = pool_state(*primary_);
  out.push_back(primary);
  for (auto& replica : replicas_) {
    DatabaseHealth h;
    h.role = "replica";
    h.name = database_name(replica->url);
    bool check_lag = false;
    if (Pool* pool = replica_pool(*replica, check_lag)) {
      try {
        auto lease = pool->acquire();
        const double lag = lag_of(*lease);
        answered(*replica, lag);
        h.reachable = true;
        h.lag_seconds = lag;
      } catch (const std::exception&) {
        std::lock_guard lock(replica->mutex);
        drop(*replica, "unreachable");
      }
    }
    std::lock_guard lock(replica->mutex);
    if (!h.reachable) h.error = replica->error.empty() ? "unreachable" : replica->error;
    if (replica->pool) h.pool = pool_state(*replica->pool);
    out.push_back(h);
  }
  return out;
}

}  // namespace amis::store::postgis
