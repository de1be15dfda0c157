#include "store/postgis/pg_connection.hpp"

#include <poll.h>

#include <bit>
#include <charconv>
#include <cstring>

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/request_budget.hpp"
#include "store/postgis/pg_error.hpp"

namespace amis::store::postgis {
namespace {

template <typename T>
T big_endian(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) {
    if constexpr (sizeof(T) == 2) v = static_cast<T>(__builtin_bswap16(static_cast<std::uint16_t>(v)));
    if constexpr (sizeof(T) == 4) v = static_cast<T>(__builtin_bswap32(static_cast<std::uint32_t>(v)));
    if constexpr (sizeof(T) == 8) v = static_cast<T>(__builtin_bswap64(static_cast<std::uint64_t>(v)));
  }
  return v;
}

// How often a waiting statement looks at the request's budget.
constexpr int kBudgetPollMs = 50;

// The first line of a libpq connection error, after "…failed: ", without the
// server's address: what an operator needs ("password authentication failed for
// user "amis"", "Connection refused", "database "x" does not exist").
std::string connection_failure(PGconn* conn) {
  std::string message = conn ? PQerrorMessage(conn) : "out of memory";
  if (auto at = message.rfind("failed: "); at != std::string::npos) message.erase(0, at + 8);
  if (auto end = message.find('\n'); end != std::string::npos) message.erase(end);
  if (message.starts_with("FATAL:  ")) message.erase(0, 8);
  if (message == "Connection refused" || message == "No such file or directory")
    message += " (is PostgreSQL running there?)";
  return message;
}

}  // namespace

Params& Params::text(std::string_view value, Oid type) {
  values_.emplace_back(value);
  nulls_.push_back(false);
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(0);
  types_.push_back(type);
  return *this;
}

Params& Params::integer(std::int64_t value) { return text(std::to_string(value), oid::kInt8); }

Params& Params::integers(const std::vector<std::int64_t>& values) {
  std::string array = "{";
  for (std::size_t i = 0; i < values.size(); ++i) array += (i ? "," : "") + std::to_string(values[i]);
  return text(array + "}");
}

Params& Params::texts(const std::vector<std::string>& values) {
  std::string array = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    array += i ? ",\"" : "\"";
    for (char c : values[i]) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  return text(array + "}");
}

Params& Params::real(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round trip
  return text(std::string_view(buffer, static_cast<std::size_t>(end - buffer)), oid::kFloat8);
}

Params& Params::boolean(bool value) { return text(value ? "t" : "f", oid::kBool); }

Params& Params::bytes(std::span<const std::uint8_t> value, Oid type) {
  values_.emplace_back(reinterpret_cast<const char*>(value.data()), value.size());
  nulls_.push_back(false);
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  types_.push_back(type);
  return *this;
}

Params& Params::null(Oid type) {
  values_.emplace_back();
  nulls_.push_back(true);
  lengths_.push_back(0);
  formats_.push_back(0);
  types_.push_back(type);
  return *this;
}

std::vector<const char*> Params::values() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) out.push_back(nulls_[i] ? nullptr : values_[i].data());
  return out;
}

std::string_view Result::text(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column), static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::span<const std::uint8_t> Result::bytes(int row, int column) const {
  return {reinterpret_cast<const std::uint8_t*>(PQgetvalue(result_.get(), row, column)),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::int64_t Result::integer(int row, int column) const {
  const char* p = PQgetvalue(result_.get(), row, column);
  if (!binary(column)) return std::strtoll(p, nullptr, 10);
  switch (type(column)) {
    case oid::kInt2: return big_endian<std::int16_t>(p);
    case oid::kInt4: return big_endian<std::int32_t>(p);
    case oid::kBool: return *p != 0;
    default: return big_endian<std::int64_t>(p);
  }
}

double Result::real(int row, int column) const {
  const char* p = PQgetvalue(result_.get(), row, column);
  if (!binary(column)) return std::strtod(p, nullptr);
  switch (type(column)) {
    case oid::kFloat4: return std::bit_cast<float>(big_endian<std::uint32_t>(p));
    case oid::kFloat8: return std::bit_cast<double>(big_endian<std::uint64_t>(p));
    default: return static_cast<double>(integer(row, column));
  }
}

bool Result::boolean(int row, int column) const {
  const char* p = PQgetvalue(result_.get(), row, column);
  return binary(column) ? *p != 0 : *p == 't';
}

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(result_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::string redacted_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "(a libpq connection string)";
  std::string out(url.substr(0, url.find('?')));
  const auto at = out.rfind('@');
  if (at != std::string::npos && at > scheme) {
    const auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
  }
  return out;
}

Connection::Connection(const std::string& url) : conn_(nullptr, PQfinish), cancel_(nullptr, PQfreeCancel) {
  // Keywords before dbname are defaults the URL may override; client_encoding
  // after it is forced: every text we read and write is UTF-8.
  const char* keywords[] = {"application_name", "connect_timeout", "dbname", "client_encoding", nullptr};
  const char* values[] = {"amis", "10", url.c_str(), "UTF8", nullptr};
  conn_.reset(PQconnectdbParams(keywords, values, 1));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    throw ConnectFailed("cannot connect to " + redacted_url(url) + ": " + connection_failure(conn_.get()));
  }
  cancel_.reset(PQgetCancel(conn_.get()));
  // Server notices ("relation … already exists, skipping") go to the debug log,
  // not to standard error.
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char* message) { spdlog::debug("PostgreSQL: {}", message); }, nullptr);
}

void Connection::cancel() {
  if (!cancel_) return;
  char error[256];
  if (!PQcancel(cancel_.get(), error, sizeof error)) spdlog::debug("PQcancel: {}", error);
}

bool Connection::reusable() const {
  return !streaming_ && PQstatus(conn_.get()) == CONNECTION_OK &&
         PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
}

// Waits until libpq has a whole result (or a row) to give, watching the request's
// budget: a client that went away or a deadline that passed cancels the statement
// (the server then ends it with 57014, reported by the caller's result).
void Connection::wait_for_input(bool watch_budget) {
  bool cancelled = false;
  while (PQisBusy(conn_.get())) {
    if (watch_budget && !cancelled && core::RequestBudget::exhausted()) {
      cancel();
      cancelled = true;
    }
    pollfd fd{PQsocket(conn_.get()), POLLIN, 0};
    if (fd.fd < 0) return;
    const int ready = ::poll(&fd, 1, kBudgetPollMs);
    if (ready < 0 && errno != EINTR) return;
    if (ready > 0 && !PQconsumeInput(conn_.get())) return;  // lost: PQgetResult says so
  }
}

void Connection::fail(PGresult* result, std::string_view what) {
  Result owned(result);
  // Drain the rest so that the connection is ready again (or known broken).
  while (PGresult* rest = PQgetResult(conn_.get())) PQclear(rest);
  streaming_ = false;
  throw_result_error(result, conn_.get(), what);
}

Result Connection::exec(std::string_view sql, const Params& params, Format format, bool watch_budget) {
  send(sql, params, format);
  return finish(watch_budget);
}

void Connection::send(std::string_view sql, const Params& params, Format format) {
  const std::string statement(sql);
  const auto values = params.values();
  if (!PQsendQueryParams(conn_.get(), statement.c_str(), params.size(), params.types(), values.data(),
                         params.lengths(), params.formats(), static_cast<int>(format)))
    fail(nullptr, "sending a statement");
}

Result Connection::finish(bool watch_budget) {
  Result last;
  for (;;) {
    wait_for_input(watch_budget);
    PGresult* r = PQgetResult(conn_.get());
    if (!r) break;
    const auto status = PQresultStatus(r);
    if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE) fail(r, "a statement");
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
      PQclear(r);
      throw core::ServerError("COPY through exec(); use copy_start()");
    }
    last = Result(r);
  }
  if (PQstatus(conn_.get()) != CONNECTION_OK) throw_result_error(nullptr, conn_.get(), "a statement");
  return last;
}

void Connection::exec_script(const std::string& sql) {
  if (!PQsendQuery(conn_.get(), sql.c_str())) fail(nullptr, "sending a script");
  for (;;) {
    wait_for_input();
    PGresult* r = PQgetResult(conn_.get());
    if (!r) break;
    const auto status = PQresultStatus(r);
    if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE) fail(r, "a script");
    PQclear(r);
  }
}

void Connection::send_streaming(std::string_view sql, const Params& params, Format format) {
  const std::string statement(sql);
  const auto values = params.values();
  if (!PQsendQueryParams(conn_.get(), statement.c_str(), params.size(), params.types(), values.data(),
                         params.lengths(), params.formats(), static_cast<int>(format)))
    fail(nullptr, "sending a query");
  streaming_ = true;
  if (!PQsetSingleRowMode(conn_.get())) spdlog::warn("PostgreSQL: single-row mode refused; the result is buffered");
}

std::optional<Result> Connection::next_row() {
  if (!streaming_) return std::nullopt;
  if (core::RequestBudget::exhausted()) {
    abandon_streaming();
    core::RequestBudget::check();
  }
  wait_for_input();
  PGresult* r = PQgetResult(conn_.get());
  if (!r) {
    streaming_ = false;
    if (PQstatus(conn_.get()) != CONNECTION_OK) throw_result_error(nullptr, conn_.get(), "a query");
    return std::nullopt;
  }
  const auto status = PQresultStatus(r);
  if (status == PGRES_SINGLE_TUPLE) return Result(r);
  if (status == PGRES_TUPLES_OK) {  // the end (a zero-row result), then null
    Result end(r);
    if (end.rows() > 0) return end;  // single-row mode was refused: the whole result at once
    while (PGresult* rest = PQgetResult(conn_.get())) PQclear(rest);
    streaming_ = false;
    return std::nullopt;
  }
  fail(r, "a query");
}

void Connection::abandon_streaming() {
  if (!streaming_) return;
  cancel();
  while (PGresult* rest = PQgetResult(conn_.get())) PQclear(rest);
  streaming_ = false;
}

void Connection::copy_start(const std::string& sql) {
  PGresult* r = PQexec(conn_.get(), sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) fail(r, "starting COPY");
  PQclear(r);
}

void Connection::copy_put(std::span<const std::uint8_t> data) {
  if (PQputCopyData(conn_.get(), reinterpret_cast<const char*>(data.data()), static_cast<int>(data.size())) != 1)
    throw_result_error(nullptr, conn_.get(), "COPY data");
}

void Connection::copy_end() {
  if (PQputCopyEnd(conn_.get(), nullptr) != 1) throw_result_error(nullptr, conn_.get(), "ending COPY");
  for (;;) {
    PGresult* r = PQgetResult(conn_.get());
    if (!r) break;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, "COPY");
    PQclear(r);
  }
}

Transaction::Transaction(Connection& connection, std::string_view begin) : connection_(connection) {
  connection_.exec(begin, {}, Format::Text, false);
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.exec("ROLLBACK", {}, Format::Text, false);
  } catch (const std::exception& e) {
    spdlog::debug("ROLLBACK: {}", e.what());  // the connection is dropped by the pool
  }
}

void Transaction::commit() {
  connection_.exec("COMMIT", {}, Format::Text, false);
  done_ = true;
}

}  // namespace amis::store::postgis
