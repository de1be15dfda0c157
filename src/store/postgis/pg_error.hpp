#pragma once
// PostgreSQL's SQLSTATE codes turned into AMIS errors (core/error.hpp), so that
// each protocol answers in its own format: a database that went away is a 503
// with Retry-After, a value the column type refuses is a 400, the rest a 500
// whose message only the log sees.
#include <string_view>

#include <libpq-fe.h>

namespace amis::store::postgis {

// Whether a SQLSTATE means "the database is (momentarily) not there": connection
// exceptions (class 08), admin/crash shutdown, cannot connect now, too many
// connections, serialization failures and deadlocks (retrying succeeds).
bool unavailable_sqlstate(std::string_view sqlstate);

// Throws the AMIS error for a failed result (or a null one: the connection
// broke). `what` names the operation for the log. The request's budget decides
// what a cancelled statement (57014) was: ClientDisconnected or DeadlineExceeded.
// @throws core::StoreUnavailable, core::InvalidParameter, core::Conflict,
// core::DeadlineExceeded, core::ClientDisconnected, core::ServerError
[[noreturn]] void throw_result_error(const PGresult* result, PGconn* connection, std::string_view what);

}  // namespace amis::store::postgis
