#pragma once
// A PostgreSQL database of one test's own in the cluster AMIS_TEST_PG_URL names
// (tests/pg/with_postgres.sh starts one), dropped afterwards, so that tests do
// not see each other's tables even when they run at once. Reads for checking go
// through plain libpq, not the store's code. Without AMIS_TEST_PG_URL the
// PostgreSQL tests are skipped.
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

namespace amis::testing {

inline std::optional<std::string> test_pg_url() {
  const char* url = std::getenv("AMIS_TEST_PG_URL");
  if (!url || !*url) return std::nullopt;
  return std::string(url);
}

// The URL with another database: postgresql://user@host/DB?query.
inline std::string with_database(const std::string& url, const std::string& database) {
  const auto authority = url.find("://") + 3;
  const auto slash = url.find('/', authority);
  const auto query = url.find('?', authority);
  const std::string head = url.substr(0, slash != std::string::npos && slash < query ? slash : query);
  return head + "/" + database + (query == std::string::npos ? "" : url.substr(query));
}

class PgTestDatabase {
 public:
  explicit PgTestDatabase(const std::string& cluster_url)
      : admin_(PQconnectdb(cluster_url.c_str()), PQfinish), raw_(nullptr, PQfinish) {
    static std::atomic<int> counter{0};
    name_ = "amis_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    exec(admin_.get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    exec(admin_.get(), "CREATE DATABASE " + name_);
    url_ = with_database(cluster_url, name_);
    raw_.reset(PQconnectdb(url_.c_str()));
    run("SET client_min_messages = warning");
    run("CREATE EXTENSION IF NOT EXISTS postgis");
  }
  ~PgTestDatabase() {
    raw_.reset();
    exec(admin_.get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }

  const std::string& url() const { return url_; }

  // Runs a statement on the test's own connection: true when it succeeded.
  bool run(const std::string& sql) { return exec(raw_.get(), sql); }
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
  static bool exec(PGconn* connection, const std::string& sql) {
    PGresult* r = PQexec(connection, sql.c_str());
    const auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  std::unique_ptr<PGconn, decltype(&PQfinish)> admin_;
  std::unique_ptr<PGconn, decltype(&PQfinish)> raw_;
  std::string name_;
  std::string url_;
};

}  // namespace amis::testing
