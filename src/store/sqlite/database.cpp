#include "store/sqlite/database.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::store::sqlite {
namespace {

// SQLite calls this every kProgressSteps virtual machine instructions of a
// statement; a non-zero answer interrupts it (SQLITE_INTERRUPT).
constexpr int kProgressSteps = 1000;
int stop_when_exhausted(void*) { return core::RequestBudget::exhausted() ? 1 : 0; }

// A statement that failed because the request ran out of budget (the progress
// handler interrupted it, or a filter function gave up) is the budget's error,
// not the store's: the client learns that its request asked too much (503), and
// a client that left is not answered at all.
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  core::RequestBudget::check();
  throw core::ServerError(std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK)
    fail(db, "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// A binding that does not fit its statement is a bug in the SQL we generated:
// fail loudly rather than run a query with shifted values.
void Statement::check_bind(int rc) {
  if (rc != SQLITE_OK) fail(db_, "bind");
}

void Statement::bind(int index, std::int64_t value) { check_bind(sqlite3_bind_int64(stmt_, index, value)); }
void Statement::bind(int index, double value) { check_bind(sqlite3_bind_double(stmt_, index, value)); }
void Statement::bind(int index, std::string_view value) {
  check_bind(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
}
void Statement::bind_blob(int index, std::span<const std::uint8_t> value) {
  check_bind(sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
}
void Statement::bind_null(int index) { check_bind(sqlite3_bind_null(stmt_, index)); }

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

std::string_view Statement::column_text(int i) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return text ? std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
              : std::string_view();
}

std::span<const std::uint8_t> Statement::column_blob(int i) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, i));
  return {data, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))};
}

Database::Database(const std::string& path, Mode mode) {
  const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY
                                           : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw core::OgcError(500, "StoreUnavailable", "cannot open store " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 10000);
  sqlite3_extended_result_codes(db_, 1);
  // Every connection, for every statement: a request's deadline and its client's
  // departure stop its queries (outside a request nothing is ever interrupted).
  sqlite3_progress_handler(db_, kProgressSteps, stop_when_exhausted, nullptr);
}

Database::~Database() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    core::RequestBudget::check();
    throw core::ServerError("sqlite: " + message);
  }
}

void Database::exec_unbounded(std::string_view sql) {
  sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  try {
    exec(sql);
  } catch (...) {
    sqlite3_progress_handler(db_, kProgressSteps, stop_when_exhausted, nullptr);
    throw;
  }
  sqlite3_progress_handler(db_, kProgressSteps, stop_when_exhausted, nullptr);
}

Database::Lease Database::cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
  return Lease(*it->second);
}

Transaction::Transaction(Database& db, Kind kind) : db_(db) {
  db_.exec(kind == Kind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.exec_unbounded("ROLLBACK");  // even when the request's budget is spent
  } catch (const std::exception& e) {
    spdlog::error("rollback failed: {}", e.what());
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace amis::store::sqlite
