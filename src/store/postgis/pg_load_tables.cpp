#include "store/postgis/pg_load_tables.hpp"

#include <spdlog/spdlog.h>

#include "store/filter_compiler.hpp"
#include "store/postgis/pg_schema.hpp"

namespace amis::store::postgis {
namespace {

// The first key of the two-key advisory locks of loading tables ('AMLD'); the second
// is PostgreSQL's hashtext of the table's name. A collision of two names only makes
// a sweep leave a table for the next one.
constexpr const char* kLockKey = "1095585860, hashtext($1)";

}  // namespace

void hold_load_table(Connection& connection, const std::string& name) {
  connection.exec(std::string("SELECT pg_advisory_lock(") + kLockKey + ")", Params().text(name, oid::kText));
}

void release_load_table(Connection& connection, const std::string& name) {
  connection.exec(std::string("SELECT pg_advisory_unlock(") + kLockKey + ")", Params().text(name, oid::kText));
}

int drop_abandoned_load_tables(Connection& connection) {
  const auto tables = connection.exec(
      "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'amis\\_load\\_%' ORDER BY 1",
      Params().text(kFeatureSchema, oid::kText));
  int dropped = 0;
  for (int i = 0; i < tables.rows(); ++i) {
    const std::string name(tables.text(i, 0));
    const auto mine = connection.exec(std::string("SELECT pg_try_advisory_lock(") + kLockKey + ")",
                                      Params().text(name, oid::kText));
    if (!mine.boolean(0, 0)) continue;  // an import of another session is loading it
    connection.exec("DROP TABLE IF EXISTS " + std::string(kFeatureSchema) + "." + quote_identifier(name));
    release_load_table(connection, name);
    spdlog::info("PostgreSQL: dropped {}, the loading table of an import that did not finish", name);
    ++dropped;
  }
  return dropped;
}

}  // namespace amis::store::postgis
