#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "core/request_budget.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::sqlite {
namespace {

using namespace std::chrono_literals;

// Never ends on its own: only the progress handler stops it.
constexpr const char* kEndless =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

TEST(DatabaseBudget, AStatementStopsAtTheDeadline) {
  Database db(":memory:", Database::Mode::ReadWrite);
  const core::RequestBudget budget(std::chrono::steady_clock::now() + 100ms, 1, nullptr);
  Statement s(db.handle(), kEndless);
  EXPECT_THROW(s.step(), core::DeadlineExceeded);
}

TEST(DatabaseBudget, AStatementStopsWhenTheClientLeaves) {
  Database db(":memory:", Database::Mode::ReadWrite);
  auto gone = std::make_shared<std::atomic<bool>>(true);
  const core::RequestBudget budget(std::chrono::steady_clock::now() + 60s, 60, gone);
  Statement s(db.handle(), kEndless);
  EXPECT_THROW(s.step(), core::ClientDisconnected);
  EXPECT_THROW(
      db.exec(
          "SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
          "SELECT x FROM c)"),
      core::ClientDisconnected);
}

TEST(DatabaseBudget, WithoutABudgetNothingIsInterrupted) {
  Database db(":memory:", Database::Mode::ReadWrite);
  Statement s(db.handle(),
              "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) "
              "SELECT count(*) FROM c");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.column_int(0), 200000);
}

TEST(DatabaseBudget, ALateTransactionIsStillRolledBack) {
  Database db(":memory:", Database::Mode::ReadWrite);
  db.exec("CREATE TABLE t (x INTEGER)");
  {
    auto gone = std::make_shared<std::atomic<bool>>(true);
    std::optional<core::RequestBudget> spent;  // outlives the transaction below
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (1)");
    spent.emplace(std::chrono::steady_clock::now(), 1, gone);
    EXPECT_THROW(db.exec("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                         "INSERT INTO t SELECT x FROM c"),
                 core::ClientDisconnected);
  }  // the ROLLBACK runs with the budget spent
  Statement count(db.handle(), "SELECT count(*) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.column_int(0), 0);
}

}  // namespace
}  // namespace amis::store::sqlite
