#include "store/postgis/pg_error.hpp"

#include <string>

#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::store::postgis {
namespace {

std::string field(const PGresult* result, int code) {
  const char* value = result ? PQresultErrorField(result, code) : nullptr;
  return value ? value : "";
}

constexpr const char* kUnavailable = "the data store is unavailable; try again in a few seconds";

}  // namespace

bool unavailable_sqlstate(std::string_view s) {
  return s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300" || s == "40001" ||
         s == "40P01" || s == "25006";  // 25006: read-only transaction (a replica promoted under us)
}

void throw_result_error(const PGresult* result, PGconn* connection, std::string_view what) {
  const std::string state = field(result, PG_DIAG_SQLSTATE);
  std::string message = field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty() && connection) message = PQerrorMessage(connection);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const bool lost = state.empty() && (!connection || PQstatus(connection) != CONNECTION_OK);
  if (lost || unavailable_sqlstate(state)) throw core::StoreUnavailable(kUnavailable);
  if (state == "57014") {  // query_canceled: by us (client gone, deadline) or statement_timeout
    core::RequestBudget::check();
    throw core::DeadlineExceeded(0);
  }
  // Class 22 (data exception): a value the column's type refuses, e.g. a filter
  // literal that is no date. PostgreSQL's primary message names only the value.
  if (state.starts_with("22")) throw core::InvalidParameter("filter", message);
  // An operator or function for types the filter combined (a text property
  // compared with a number, '%' on reals): the client's filter, not our fault.
  if (state == "42883" || state == "42804" || state == "42725")
    throw core::InvalidParameter("filter", "the filter combines values of types that do not go together");
  if (state == "23505") throw core::Conflict("the value already exists: " + message);
  throw core::ServerError(std::string(what) + " failed (SQLSTATE " + state + "): " + message);
}

}  // namespace amis::store::postgis
