#include "coverage/coverage_memory.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace amis::coverage {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t MB = std::int64_t{1} << 20;

TEST(CoverageMemory, AnswersThatFitAreHeldTogetherAndGivenBack) {
  CoverageMemory memory({.budget_bytes = 100 * MB, .max_wait_seconds = 1});
  {
    auto a = memory.reserve(40 * MB);
    auto b = memory.reserve(60 * MB);
    EXPECT_EQ(memory.held(), 100 * MB);
  }
  EXPECT_EQ(memory.held(), 0);
}

TEST(CoverageMemory, AnAnswerLargerThanTheBudgetRunsAlone) {
  CoverageMemory memory({.budget_bytes = 10 * MB, .max_wait_seconds = 0.2});
  auto big = memory.reserve(50 * MB);  // nothing else held: it goes
  EXPECT_EQ(memory.held(), 50 * MB);
  EXPECT_THROW((void)memory.reserve(1 * MB), core::ServiceBusy);  // not while it is held
}

TEST(CoverageMemory, AWaiterGoesWhenBytesComeBack) {
  CoverageMemory memory({.budget_bytes = 100 * MB, .max_wait_seconds = 10});
  auto first = std::make_unique<CoverageMemory::Reservation>(memory.reserve(80 * MB));
  std::atomic<bool> got = false;
  std::thread waiter([&] {
    auto r = memory.reserve(50 * MB);
    got = true;
  });
  std::this_thread::sleep_for(150ms);
  EXPECT_FALSE(got) << "50 MB fitted beside 80 MB in a budget of 100";
  first.reset();
  waiter.join();
  EXPECT_TRUE(got);
  EXPECT_EQ(memory.held(), 0);
}

TEST(CoverageMemory, AWaiterGivesUpAfterTheWaitWith503) {
  CoverageMemory memory({.budget_bytes = 10 * MB, .max_wait_seconds = 0.2});
  auto held = memory.reserve(8 * MB);
  const auto before = std::chrono::steady_clock::now();
  try {
    (void)memory.reserve(5 * MB);
    FAIL() << "5 MB fitted beside 8 MB in a budget of 10";
  } catch (const core::ServiceBusy& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_GE(e.retry_after_seconds(), 1);
  }
  EXPECT_GE(std::chrono::steady_clock::now() - before, 150ms);
}

TEST(CoverageMemory, FirstComeFirstServedAndOneThatLeftBlocksNoOne) {
  // A big answer waits first; a small one behind it must not overtake it for ever, and
  // once the big one gives up, the small one goes.
  CoverageMemory memory({.budget_bytes = 100 * MB, .max_wait_seconds = 0.5});
  auto held = std::make_unique<CoverageMemory::Reservation>(memory.reserve(60 * MB));
  std::atomic<int> big_outcome = 0;  // 1 got, 2 gave up
  std::thread big([&] {
    try {
      auto r = memory.reserve(90 * MB);
      big_outcome = 1;
    } catch (const core::ServiceBusy&) {
      big_outcome = 2;
    }
  });
  std::this_thread::sleep_for(100ms);
  std::atomic<bool> small_got = false;
  std::thread small([&] {
    CoverageMemory::Reservation r;
    for (int i = 0; i < 10 && !small_got; ++i) {
      try {
        r = memory.reserve(10 * MB);  // would fit beside the 60 MB, but the big one is ahead
        small_got = true;
      } catch (const core::ServiceBusy&) {
      }
    }
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(small_got) << "the small answer overtook the big one waiting ahead of it";
  big.join();  // gives up after 0.5 s: 60 + 90 never fit in 100
  EXPECT_EQ(big_outcome, 2);
  small.join();
  EXPECT_TRUE(small_got) << "the ticket of the answer that left blocked the line";
}

}  // namespace
}  // namespace amis::coverage
