#pragma once
// A small RAII layer over libpq: one connection, bound parameters, results, row
// streaming, COPY, cancellation and a transaction guard. Everything in postgis/
// talks to PostgreSQL through this file and pg_pool.hpp.
//
// Why libpq and not libpqxx (both Debian packages): the store needs exactly the
// parts of libpq that libpqxx hides or wraps thinly — single-row mode
// (PQsetSingleRowMode) to stream a result with flat memory, PQcancel from the
// thread that sees the client go or the deadline pass, binary parameters and
// binary results (WKB without hex), and COPY ... FROM STDIN (FORMAT binary) for
// import. libpqxx 7 offers stream_from/stream_to but not single-row mode over
// bound parameters, and it throws its own exception hierarchy that we would
// translate back to SQLSTATE anyway. libpq is already a dependency of libpqxx,
// so this is one library fewer and ~400 lines of our own code.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include "core/error.hpp"
#include "store/filter_compiler.hpp"

namespace amis::store::postgis {

// Type OIDs used for bound parameters and decoding binary results (pg_type.dat).
namespace oid {
inline constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kFloat4 = 700,
                     kFloat8 = 701, kVarchar = 1043, kDate = 1082, kTimestamp = 1114, kTimestamptz = 1184;
}

// The parameters of one statement, $1 … $n in order. Text values go in text
// format with their type left to the server (or given); bytes go in binary.
class Params {
 public:
  Params& text(std::string_view value, Oid type = 0);
  Params& integer(std::int64_t value);
  // An int8[] as its text literal ("{1,2,3}"); cast it in the SQL ($n::bigint[]).
  Params& integers(const std::vector<std::int64_t>& values);
  // A text[] as its text literal, each element quoted ("{\"a\",\"b\"}"); cast it in
  // the SQL ($n::text[]).
  Params& texts(const std::vector<std::string>& values);
  Params& real(double value);
  Params& boolean(bool value);
  Params& bytes(std::span<const std::uint8_t> value, Oid type = oid::kBytea);
  Params& null(Oid type = 0);

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  // Pointers into the parameters; valid while this object lives unchanged.
  std::vector<const char*> values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<Oid> types_;
};

enum class Format { Text = 0, Binary = 1 };

// One PGresult, freed on destruction. Binary results are decoded by column type.
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* result) : result_(result, PQclear) {}

  int rows() const { return result_ ? PQntuples(result_.get()) : 0; }
  int columns() const { return result_ ? PQnfields(result_.get()) : 0; }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  Oid type(int column) const { return PQftype(result_.get(), column); }
  std::string_view text(int row, int column) const;
  std::span<const std::uint8_t> bytes(int row, int column) const;
  // Integers and reals in either format (binary: int2/int4/int8, float4/float8).
  std::int64_t integer(int row, int column) const;
  double real(int row, int column) const;
  bool boolean(int row, int column) const;
  // Rows changed by an INSERT/UPDATE/DELETE.
  std::int64_t affected() const;
  PGresult* get() const { return result_.get(); }

 private:
  bool binary(int column) const { return PQfformat(result_.get(), column) == 1; }
  std::shared_ptr<PGresult> result_;
};

// The password never leaves this function's caller: the location as it may be
// logged or shown (postgresql://user@host/db, no password, no query string).
std::string redacted_url(std::string_view url);

// The connection was refused or could not be made. what() is the 503's message
// for a client; detail() the one line for an operator (the CLI, the log): the
// URL without password and libpq's reason.
class ConnectFailed : public core::StoreUnavailable {
 public:
  explicit ConnectFailed(std::string detail)
      : core::StoreUnavailable("the data store is unavailable; try again in a few seconds"),
        detail_(std::move(detail)) {}
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string detail_;
};

class Connection {
 public:
  // Connects to a postgresql:// (or postgres://) URL or a libpq keyword string.
  // @throws ConnectFailed when the server cannot be reached or refuses (wrong
  // password, no such database).
  explicit Connection(const std::string& url);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement and waits for all of its result.
  // @throws the error of the SQLSTATE (see pg_error.hpp).
  // `watch_budget` false for statements that must run to their end whatever the
  // request's budget says (COMMIT, ROLLBACK).
  Result exec(std::string_view sql, const Params& params = {}, Format result = Format::Text,
              bool watch_budget = true);
  // Sends one statement without waiting (another connection can work meanwhile);
  // finish() waits for its result. exec() is send() then finish().
  void send(std::string_view sql, const Params& params = {}, Format result = Format::Text);
  // @throws the error of the SQLSTATE.
  Result finish(bool watch_budget = true);

  // Runs statements without parameters (a schema script).
  void exec_script(const std::string& sql);

  // Starts a statement whose rows are read one at a time with next_row().
  void send_streaming(std::string_view sql, const Params& params, Format result = Format::Text);
  // The next row of the streaming statement, or nullopt after the last one.
  // Between rows it checks the request's budget: when the client has gone or the
  // deadline passed it cancels the statement and throws (ClientDisconnected /
  // DeadlineExceeded), leaving the connection ready for the next statement.
  std::optional<Result> next_row();
  // Abandons a streaming statement (cancel, then drain what was sent).
  void abandon_streaming();

  // COPY … FROM STDIN: start, put data, end (which checks the outcome).
  void copy_start(const std::string& sql);
  void copy_put(std::span<const std::uint8_t> data);
  void copy_end();

  // Asks the server to stop the running statement (safe from any thread).
  void cancel();
  // False once the connection is lost or left inside a transaction or statement:
  // the pool closes it instead of reusing it.
  bool reusable() const;
  PGconn* handle() { return conn_.get(); }

 private:
  void wait_for_input(bool watch_budget = true);
  [[noreturn]] void fail(PGresult* result, std::string_view what);
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
  std::unique_ptr<PGcancel, decltype(&PQfreeCancel)> cancel_;
  bool streaming_ = false;
};

// BEGIN on construction; ROLLBACK on destruction unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& connection, std::string_view begin = "BEGIN");
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

// A quoted SQL identifier ("name" with doubled quotes): for table and column
// names that come from our own catalogue, never from a client.
using store::quote_identifier;

}  // namespace amis::store::postgis
