#pragma once
// A PostgreSQL schema of one test's own in the cluster AMIS_TEST_PG_URL names
// (tests/pg/with_postgres.sh starts one): the store's pool sees only it
// (search_path), and it is dropped afterwards. Reads for checking go through
// plain libpq, not the store's code. Without AMIS_TEST_PG_URL the PostgreSQL
// tests are skipped.
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "store/postgis/pg_pool.hpp"
#include "store/postgis/pg_schema.hpp"

namespace amis::testing {

inline std::optional<std::string> test_pg_url() {
  const char* url = std::getenv("AMIS_TEST_PG_URL");
  if (!url || !*url) return std::nullopt;
  return std::string(url);
}

class PgTestSchema {
 public:
  explicit PgTestSchema(const std::string& url, std::size_t pool_size = 4)
      : url_(url), raw_(PQconnectdb(url.c_str()), PQfinish) {
    static std::atomic<int> counter{0};
    name_ = "amis_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    run("SET client_min_messages = warning");
    run("CREATE EXTENSION IF NOT EXISTS postgis");
    run("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    run("CREATE SCHEMA " + name_);
    run("SET search_path = " + name_ + ", public");
    const std::string path = name_;
    pool_ = std::make_unique<store::postgis::Pool>(url, pool_size, [path](store::postgis::Connection& c) {
      c.exec("SET search_path = " + path + ", public");
      c.exec("SET client_min_messages = warning");
    });
    auto lease = pool_->acquire();
    store::postgis::ensure_schema(*lease);
  }
  ~PgTestSchema() {
    pool_.reset();
    run("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
  }

  store::postgis::Pool& pool() { return *pool_; }
  // Another pool on the same schema: the connections of a second amis node.
  std::unique_ptr<store::postgis::Pool> another_pool(std::size_t size = 2) {
    const std::string path = name_;
    return std::make_unique<store::postgis::Pool>(url_, size, [path](store::postgis::Connection& c) {
      c.exec("SET search_path = " + path + ", public");
    });
  }
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Runs a statement on the test's own connection: true when it succeeded.
  bool run(const std::string& sql) {
    PGresult* r = PQexec(raw_.get(), sql.c_str());
    const auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  // Each row's first column followed by ';' (as sqlite_text).
  std::string text(const std::string& sql) {
    PGresult* r = PQexec(raw_.get(), sql.c_str());
    std::string out;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) out = std::string("ERROR ") + PQresultErrorMessage(r);
    else
      for (int i = 0; i < PQntuples(r); ++i)
        out += (PQgetisnull(r, i, 0) ? std::string("NULL") : std::string(PQgetvalue(r, i, 0))) + ";";
    PQclear(r);
    return out;
  }

 private:
  std::string url_;
  std::unique_ptr<PGconn, decltype(&PQfinish)> raw_;
  std::string name_;
  std::unique_ptr<store::postgis::Pool> pool_;
};

// The mines of test_support.hpp in a PostGIS table of the schema, with its
// catalogue row: the table has a name of its own (amis_collections.table_name).
inline void write_pg_mines(PgTestSchema& schema) {
  schema.run(
      "CREATE TABLE mines_v1 (fid bigint PRIMARY KEY, geom geometry(Point, 4326), name text, iso3 text, "
      "capacity double precision, opened text)");
  schema.run(
      "INSERT INTO mines_v1 VALUES "
      "(1, ST_GeomFromText('POINT (104.3 14.2)', 4326), 'Han Seng', 'KHM', 0.5, '2021-01-01T00:00:00.000Z'), "
      "(2, ST_GeomFromText('POINT (116.5 -1.5)', 4326), 'Kaltim Prima', 'IDN', 70.0, '1992-06-01T00:00:00.000Z'), "
      "(3, ST_GeomFromText('POINT (104.7 25.2)', 4326), 'Bailongshan', 'CHN', 3.0, '2010-03-15T08:00:00.000Z')");
  schema.run(
      "INSERT INTO amis_collections (id, table_name, title, feature_count, updated, geometry_type, temporal_property) "
      "VALUES ('mines', 'mines_v1', 'Mines', 3, '2026-01-01T00:00:00Z', 'POINT', 'opened')");
}

}  // namespace amis::testing
