#pragma once
// Thin RAII wrappers over the SQLite C API. Values are always bound, never spliced;
// identifiers (table and column names) are quoted with quote_identifier().
// Every connection stops a statement when the request it serves has spent its
// budget (core::RequestBudget: deadline passed or client gone).
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace amis::store::sqlite {

std::string quote_identifier(std::string_view name);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void reset();
  void bind(int index, std::int64_t value);
  void bind(int index, double value);
  void bind(int index, std::string_view value);
  void bind_blob(int index, std::span<const std::uint8_t> value);
  void bind_null(int index);

  // True while there is a row. @throws core::DeadlineExceeded or
  // core::ClientDisconnected when the request's budget interrupted the statement,
  // ServerError on another SQLite error.
  bool step();
  void run() { while (step()) {} }

  int column_type(int i) const { return sqlite3_column_type(stmt_, i); }
  bool is_null(int i) const { return column_type(i) == SQLITE_NULL; }
  std::int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double column_double(int i) const { return sqlite3_column_double(stmt_, i); }
  std::string_view column_text(int i) const;
  std::span<const std::uint8_t> column_blob(int i) const;

 private:
  void check_bind(int rc);
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  enum class Mode { ReadOnly, ReadWrite };
  Database(const std::string& path, Mode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() { return db_; }
  // @throws as Statement::step().
  void exec(std::string_view sql);
  // exec() that the request's budget does not interrupt: for a ROLLBACK that
  // must run however late it is.
  void exec_unbounded(std::string_view sql);
  // A statement prepared once per connection and reused. The lease resets it
  // when it goes out of scope, so no read snapshot stays open between requests.
  class Lease {
   public:
    explicit Lease(Statement& s) : s_(&s) {}
    ~Lease() { s_->reset(); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Statement* operator->() { return s_; }
    Statement& operator*() { return *s_; }

   private:
    Statement* s_;
  };
  Lease cached(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

// Begins an immediate transaction; rolls back unless commit() was called.
// A `deferred` one reads a single snapshot of the database and takes no write lock
// until it writes (WAL mode: writers go on meanwhile).
class Transaction {
 public:
  enum class Kind { Immediate, Deferred };
  explicit Transaction(Database& db, Kind kind = Kind::Immediate);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace amis::store::sqlite
