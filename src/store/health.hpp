#pragma once
// What a store says about its databases for `/health` (issue 14): a load
// balancer polls it to take a node out when its store cannot answer at all,
// and an operator reads replica lag and pool state. Names only, never
// credentials.
#include <optional>
#include <string>
#include <vector>

namespace amis::store {

struct PoolState {
  int size = 0;     // connections the pool may hold
  int open = 0;     // connections open now
  int in_use = 0;   // checked out by requests
  int waiting = 0;  // requests waiting for one
};

struct DatabaseHealth {
  std::string role;    // "file", "primary" or "replica"
  std::string name;    // a file name or host:port/database, without user or password
  bool reachable = false;
  std::optional<double> lag_seconds;  // a replica's replay delay behind the primary
  std::optional<PoolState> pool;
  std::string error;  // why it is not reachable (no secrets), empty when it is
};

struct StoreHealth {
  std::string backend;  // "geopackage" or "postgis"
  std::vector<DatabaseHealth> databases;
  // The store can serve reads and writes: its file, or its primary, answers.
  bool usable() const;
  // The store can serve reads at least: some database answers (a replica
  // while the primary is down or being replaced).
  bool readable() const;
};

class HealthReporter {
 public:
  virtual ~HealthReporter() = default;
  // Asks each database now (a trivial query, bounded in time).
  virtual StoreHealth health() = 0;
};

}  // namespace amis::store
