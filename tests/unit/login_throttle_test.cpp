// auth::LoginThrottle on a clock of the test's own, with its counters in a
// GeoPackage store and in PostgreSQL (when AMIS_TEST_PG_URL names a cluster):
// which attempts wait, for how long, and whom a wait touches.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>
#include <string>

#include "auth/login_throttle.hpp"
#include "core/error.hpp"
#include "pg_test_support.hpp"
#include "store/gpkg/gpkg_accounts.hpp"
#include "store/postgis/pg_accounts.hpp"
#include "store/postgis/pg_schema.hpp"
#include "test_support.hpp"

namespace {

using amis::auth::LoginThrottle;
using namespace std::chrono_literals;

// 2026-01-01T06:00:00Z: no test reaches the next day, whose salt would start
// every counter afresh.
const LoginThrottle::Clock::time_point kMorning{std::chrono::seconds(1767247200)};

struct Throttle : ::testing::TestWithParam<std::string> {
  std::unique_ptr<amis::testing::TempStorePath> path;
  std::unique_ptr<amis::store::gpkg::GpkgStore> store;
  std::unique_ptr<amis::testing::PgTestDatabase> database;
  std::unique_ptr<amis::store::postgis::Pool> pool;
  std::unique_ptr<amis::store::AccountStore> accounts;
  std::unique_ptr<LoginThrottle> t;

  void SetUp() override {
    if (GetParam() == "postgis") {
      const auto url = amis::testing::test_pg_url();
      if (!url) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set";
      database = std::make_unique<amis::testing::PgTestDatabase>(*url);
      pool = std::make_unique<amis::store::postgis::Pool>(database->url(), 4);
      amis::store::postgis::ensure_schema(*pool->acquire());
      accounts = std::make_unique<amis::store::postgis::PgAccounts>(*pool);
    } else {
      path = std::make_unique<amis::testing::TempStorePath>("login-throttle");
      store = std::make_unique<amis::store::gpkg::GpkgStore>(path->str());
      accounts = std::make_unique<amis::store::gpkg::GpkgAccounts>(path->str());
    }
    t = std::make_unique<LoginThrottle>(*accounts);
  }
  // Plain SQL on the store, not the throttle's code.
  std::string query(const std::string& sql) {
    return database ? database->text(sql) : amis::testing::sqlite_text(path->str(), sql.c_str());
  }
};

// The seconds a refused attempt is told to wait; 0 when it may go ahead (and is counted).
int wait_of(LoginThrottle& t, const std::string& name, const std::string& address, LoginThrottle::Clock::time_point now) {
  try {
    t.failed(t.begin(name, address, now), now);
    return 0;
  } catch (const amis::core::TooManyRequests& e) {
    EXPECT_EQ(e.status(), 429);
    return e.retry_after_seconds();
  }
}

TEST_P(Throttle, FiveFreeFailuresThenTheWaitOfThePairDoubles) {
  auto now = kMorning;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", now), 0) << i;
  EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", now), 1);
  int previous = 1;
  for (int expected : {2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900}) {
    EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", now + std::chrono::seconds(previous - 1)), 1);  // not yet
    now += std::chrono::seconds(previous);
    EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", now), 0);           // the wait is over: checked, wrong again
    EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", now), expected);  // and the next wait is longer
    previous = expected;
  }
}

TEST_P(Throttle, AWaitingPairTouchesNoOtherNameOrAddress) {
  const auto now = kMorning;
  for (int i = 0; i < 5; ++i) wait_of(*t, "ana", "192.0.2.1", now);
  EXPECT_GT(wait_of(*t, "ana", "192.0.2.1", now), 0);
  EXPECT_EQ(wait_of(*t, "ben", "192.0.2.1", now), 0);   // a colleague behind the same proxy
  EXPECT_EQ(wait_of(*t, "ana", "198.51.100.9", now), 0);  // the user elsewhere
}

TEST_P(Throttle, ASuccessStartsThePairAfresh) {
  const auto now = kMorning;
  for (int i = 0; i < 4; ++i) wait_of(*t, "ana", "192.0.2.1", now);
  t->succeeded(t->begin("ana", "192.0.2.1", now));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", now), 0) << i;
  EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", now), 1);
}

TEST_P(Throttle, FailuresAreForgottenAfterTheWindow) {
  const auto now = kMorning;
  for (int i = 0; i < 5; ++i) wait_of(*t, "ana", "192.0.2.1", now);
  const auto later = now + LoginThrottle::kWindow + 2s;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", later), 0) << i;
}

TEST_P(Throttle, AnAddressSprayingNamesReachesItsCeiling) {
  const auto now = kMorning;
  for (std::size_t i = 0; i < LoginThrottle::kAddressNameCeiling; ++i)
    EXPECT_EQ(wait_of(*t, "name-" + std::to_string(i), "192.0.2.7", now + std::chrono::seconds(i)), 0) << i;
  const auto at = now + 100s;
  const int wait = wait_of(*t, "another-name", "192.0.2.7", at);
  EXPECT_EQ(wait, 15 * 60 - 100);  // until the first of the fifty is 15 minutes old
  EXPECT_EQ(wait_of(*t, "name-3", "192.0.2.7", at), 0);  // a name already counted: its pair decides
  EXPECT_EQ(wait_of(*t, "another-name", "203.0.113.5", at), 0);
  EXPECT_EQ(wait_of(*t, "another-name", "192.0.2.7", now + LoginThrottle::kWindow + 1s), 0);
}

TEST_P(Throttle, TwoNodesOnOneStoreCountTheSameFailures) {
  LoginThrottle other_node{*accounts};  // its own salt cache, the same store
  for (int i = 0; i < 3; ++i) EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", kMorning), 0) << i;
  for (int i = 0; i < 2; ++i) EXPECT_EQ(wait_of(other_node, "ana", "192.0.2.1", kMorning), 0) << i;
  EXPECT_EQ(wait_of(*t, "ana", "192.0.2.1", kMorning), 1);
  EXPECT_EQ(wait_of(other_node, "ana", "192.0.2.1", kMorning), 1);
}

TEST_P(Throttle, TheStoreHoldsNoAddressNorNameAndForgetsYesterdaysSalt) {
  for (int i = 0; i < 6; ++i) wait_of(*t, "ana", "192.0.2.1", kMorning);
  const auto everything = query(
      "SELECT digest || failures FROM amis_login_pairs UNION ALL "
      "SELECT address || name FROM amis_login_names UNION ALL SELECT salt FROM amis_login_salts");
  EXPECT_EQ(everything.find("192.0.2"), std::string::npos) << everything;
  EXPECT_EQ(everything.find("ana"), std::string::npos) << everything;
  EXPECT_EQ(query("SELECT failures FROM amis_login_pairs"), "5;");  // the sixth waits
  wait_of(*t, "ana", "192.0.2.1", kMorning + 24h);
  EXPECT_EQ(query("SELECT count(*) FROM amis_login_salts"), "1;");
}

TEST_P(Throttle, AttemptsAtOnceOnTwoNodesPassNoLimitTogether) {
  LoginThrottle other_node{*accounts};
  std::atomic<int> passed{0}, waiting{0};
  std::vector<std::thread> attempts;
  for (int i = 0; i < 10; ++i)
    attempts.emplace_back([&, i] {
      try {
        (i % 2 ? other_node : *t).begin("ana", "192.0.2.1", kMorning);
        ++passed;
      } catch (const amis::core::TooManyRequests&) {
        ++waiting;
      }
    });
  for (auto& a : attempts) a.join();
  EXPECT_EQ(passed.load(), LoginThrottle::kFreeFailures);
  EXPECT_EQ(waiting.load(), 10 - LoginThrottle::kFreeFailures);
}

INSTANTIATE_TEST_SUITE_P(Stores, Throttle, ::testing::Values("gpkg", "postgis"),
                         [](const auto& test) { return test.param; });

}  // namespace
