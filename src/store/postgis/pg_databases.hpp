#pragma once
// Where a PostgreSQL store's statements go (issue 14). Every write, and every read
// of a request that may have written (core::ReplicaReads), goes to the primary;
// the other reads go to a read replica, in turn, when one answers and replays the
// primary's WAL within max_lag_seconds. A replica that fails is dropped for a
// while (1 s, doubling up to 30 s) and retried, never in a tight loop; while none
// is usable, reads go to the primary. Failover of the primary itself is libpq's:
// a URL naming several hosts with target_session_attrs=read-write reconnects to
// whichever is the primary after `pg_ctl promote` (docs/scale-out.md).
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/health.hpp"
#include "store/postgis/pg_pool.hpp"

namespace amis::store::postgis {

struct DatabaseSettings {
  std::string primary;                // [store] url
  std::vector<std::string> replicas;  // [store] replicas
  std::size_t pool_size = 8;          // [store] pool_size, per database
  double max_lag_seconds = 30;        // [store] max_replica_lag_seconds
};

class Databases {
 public:
  // Opens the primary's pool (replicas are opened on first use).
  // @throws ConnectFailed when the primary cannot be reached.
  explicit Databases(DatabaseSettings settings);
  ~Databases();

  Pool& primary() { return *primary_; }
  // A connection for reads: a usable replica when the current request allows it, else the primary's.
  Pool::Lease read();
  // The primary and each replica, asked now.
  std::vector<DatabaseHealth> health();

 private:
  struct Replica;
  std::optional<Pool::Lease> replica_lease(Replica& replica);
  // The replica's pool when it may be read now (not dropped, not known to lag too
  // much), opened on first use; sets check_lag when its lag is due to be asked.
  Pool* replica_pool(Replica& replica, bool& check_lag);
  void answered(Replica& replica, std::optional<double> lag);
  void drop(Replica& replica, const std::string& reason);

  DatabaseSettings settings_;
  std::unique_ptr<Pool> primary_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::mutex turn_mutex_;
  std::size_t turn_ = 0;  // round robin over the replicas
};

// "host:port/database" of a libpq URL, without user or password (for /health and logs).
std::string database_name(const std::string& url);

}  // namespace amis::store::postgis
