#include "store/usage_sql.hpp"

namespace amis::store::usage_sql {

std::string count_tables_ddl(const std::string& text, const std::string& integer, const std::string& real) {
  std::string ddl;
  for (const char* table : {kHourly, kDaily}) {
    ddl += std::string("CREATE TABLE IF NOT EXISTS ") + table + " (";
    for (const char* column : {"period", "collection", "service", "operation", "format", "status_class", "client_class",
                               "country"})
      ddl += std::string(column) + " " + text + " NOT NULL, ";
    ddl += "requests " + integer + " NOT NULL, bytes " + integer + " NOT NULL, latency_ms " + real +
           " NOT NULL, features " + integer + " NOT NULL DEFAULT 0, PRIMARY KEY (" + kKeyColumns + "));\n";
  }
  return ddl;
}

std::string add_count(const std::string& table, const Placeholder& p) {
  std::string sql = "INSERT INTO " + table + " (" + kKeyColumns + ", requests, bytes, latency_ms, features) VALUES (";
  for (int i = 1; i <= 12; ++i) sql += (i > 1 ? ", " : "") + p(i);
  sql += ") ON CONFLICT (" + std::string(kKeyColumns) + ") DO UPDATE SET requests = " + table +
         ".requests + excluded.requests, bytes = " + table + ".bytes + excluded.bytes, latency_ms = " + table +
         ".latency_ms + excluded.latency_ms, features = " + table + ".features + excluded.features";
  return sql;
}

const char* column(core::UsageDimension d) {
  using D = core::UsageDimension;
  switch (d) {
    case D::Period: return "period";
    case D::Collection: return "collection";
    case D::Service: return "service";
    case D::Operation: return "operation";
    case D::Format: return "format";
    case D::StatusClass: return "status_class";
    case D::ClientClass: return "client_class";
    case D::Country: return "country";
  }
  return "period";
}

std::string report(const core::UsageQuery& q, const Placeholder& p, std::vector<std::string>& values) {
  std::string group;
  for (const auto d : q.group_by) group += std::string(group.empty() ? "" : ", ") + column(d);
  std::string where;
  const auto condition = [&](const char* col, const char* op, const std::string& value) {
    values.push_back(value);
    where += std::string(where.empty() ? " WHERE " : " AND ") + col + " " + op + " " + p(static_cast<int>(values.size()));
  };
  if (!q.from.empty()) condition("period", ">=", q.from);
  if (!q.to.empty()) condition("period", "<=", q.to);
  if (q.collection) condition("collection", "=", *q.collection);
  if (q.service) condition("service", "=", *q.service);
  if (q.operation) condition("operation", "=", *q.operation);
  if (q.country) condition("country", "=", *q.country);
  std::string sql = "SELECT " + (group.empty() ? std::string() : group + ", ") +
                    "sum(requests), sum(bytes), sum(latency_ms), sum(features) FROM " + (q.hourly ? kHourly : kDaily) + where;
  if (!group.empty()) sql += " GROUP BY " + group + " ORDER BY " + group;
  return sql;
}

std::string visitors(const Placeholder& p) {
  return "SELECT day, collection, visitors FROM amis_usage_visitors WHERE day >= " + p(1) + " AND day <= " + p(2) +
         " ORDER BY day, collection";
}

}  // namespace amis::store::usage_sql
