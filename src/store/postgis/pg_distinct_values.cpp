#include "store/postgis/pg_distinct_values.hpp"

#include <optional>

#include "store/postgis/pg_schema.hpp"

namespace amis::store::postgis {
namespace {

// pg_stats' estimate of the column's distinct values, or nullopt without
// statistics (a table never analysed). ANALYZE reads a sample of 30,000 rows: it
// sees every value of a column of a few hundred, and a column of names or ids is
// never estimated small. A negative n_distinct is a fraction of the rows.
std::optional<double> estimated_distinct(Connection& db, std::string_view collection, const std::string& column) {
  const Result r = db.exec(
      "SELECT s.n_distinct, c.reltuples FROM pg_stats s "
      "JOIN pg_namespace n ON n.nspname = s.schemaname "
      "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename "
      "WHERE s.schemaname = $1 AND s.tablename = $2 AND s.attname = $3 AND NOT s.inherited",
      Params().text(kFeatureSchema, oid::kText).text(collection, oid::kText).text(column, oid::kText));
  if (r.rows() == 0 || r.is_null(0, 0)) return std::nullopt;
  const double n = r.real(0, 0);
  const double rows = r.is_null(0, 1) ? 0 : r.real(0, 1);
  return n >= 0 ? n : -n * (rows > 0 ? rows : 0);
}

// The distinct values among the first rows the table gives: more than `max` there
// and the column has more than `max`, whatever the rest holds.
std::int64_t distinct_in_first_rows(Connection& db, const std::string& table, const std::string& column) {
  const Result r = db.exec("SELECT count(*) FROM (SELECT DISTINCT x FROM (SELECT " + column + " AS x FROM " + table +
                           " WHERE " + column + " IS NOT NULL LIMIT 10000) AS first_rows) AS d");
  return r.integer(0, 0);
}

// True when a b-tree index of the table starts with the column.
bool indexed(Connection& db, std::string_view collection, const std::string& column) {
  const Result r = db.exec(
      "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
      "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
      "WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 AND am.amname = 'btree' LIMIT 1",
      Params().text(kFeatureSchema, oid::kText).text(collection, oid::kText).text(column, oid::kText));
  return r.rows() > 0;
}

}  // namespace

std::vector<std::string> distinct_text_values(Connection& db, std::string_view collection, const std::string& column,
                                              std::size_t max) {
  const std::string c = quote_identifier(column);
  const std::string table = feature_table(collection);
  // More than `max` in the first 10,000 rows, or far more by the statistics (once
  // autovacuum has analysed the table): not a category, and the table is not read.
  // Near or under `max`, the exact answer decides.
  if (distinct_in_first_rows(db, table, c) > static_cast<std::int64_t>(max)) return {};
  if (const auto estimate = estimated_distinct(db, collection, column);
      estimate && *estimate > 4.0 * static_cast<double>(max) + 64)
    return {};
  // PostgreSQL 15 has no skip scan: on an index, a recursive query takes the next
  // larger value max + 1 times, each an index probe, instead of reading the table.
  const std::string sql =
      indexed(db, collection, column)
          ? "WITH RECURSIVE v(x) AS ((SELECT " + c + " FROM " + table + " WHERE " + c + " IS NOT NULL ORDER BY " +
                c + " LIMIT 1) UNION ALL SELECT (SELECT " + c + " FROM " + table + " WHERE " + c + " > v.x ORDER BY " +
                c + " LIMIT 1) FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL LIMIT $1"
          : "SELECT DISTINCT " + c + " FROM " + table + " WHERE " + c + " IS NOT NULL ORDER BY 1 LIMIT $1";
  const Result r = db.exec(sql, Params().integer(static_cast<std::int64_t>(max) + 1));
  std::vector<std::string> values;
  for (int i = 0; i < r.rows(); ++i) values.emplace_back(r.text(i, 0));
  if (values.size() > max) values.clear();
  return values;
}

}  // namespace amis::store::postgis
