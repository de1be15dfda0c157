#include "render/render_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::render {
namespace {

using namespace std::chrono_literals;

TEST(RenderGate, DefaultsFollowTheCores) {
  const RenderGate gate(RenderLimits{});
  EXPECT_GE(gate.limits().max_concurrent, 1);
  EXPECT_EQ(gate.limits().max_queued, 4 * gate.limits().max_concurrent);
  EXPECT_EQ(gate.limits().layer_limit, 32);
}

TEST(RenderGate, AFullQueueIsTurnedAwayAtOnce) {
  RenderGate gate({.max_concurrent = 1, .max_queued = 1, .max_wait_seconds = 10});
  auto held = gate.enter();
  std::atomic<bool> second_done = false;
  std::thread waiter([&] {
    try {
      auto slot = gate.enter();  // waits in the one queue place until `held` goes
    } catch (...) {
    }
    second_done = true;
  });
  std::this_thread::sleep_for(100ms);  // let it queue
  const auto before = std::chrono::steady_clock::now();
  try {
    auto third = gate.enter();
    FAIL() << "a third request got a slot";
  } catch (const core::ServiceBusy& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_GE(e.retry_after_seconds(), 1);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s) << "turned away without waiting";
  EXPECT_FALSE(second_done);
  { auto released = std::move(held); }  // the slot goes back
  waiter.join();
  EXPECT_TRUE(second_done);
}

TEST(RenderGate, AWaiterGivesUpAfterTheWait) {
  RenderGate gate({.max_concurrent = 1, .max_queued = 4, .max_wait_seconds = 0.2});
  auto held = gate.enter();
  EXPECT_THROW((void)gate.enter(), core::ServiceBusy);
}

TEST(RenderGate, AWaiterStopsWhenItsRequestsBudgetIsSpent) {
  RenderGate gate({.max_concurrent = 1, .max_queued = 4, .max_wait_seconds = 30});
  auto held = gate.enter();
  const core::RequestBudget budget(std::chrono::steady_clock::now() + 200ms, 1, nullptr);
  EXPECT_THROW((void)gate.enter(), core::DeadlineExceeded);
  auto gone = std::make_shared<std::atomic<bool>>(true);
  const core::RequestBudget left(std::chrono::steady_clock::now() + 30s, 30, gone);
  EXPECT_THROW((void)gate.enter(), core::ClientDisconnected);
}

TEST(RenderGate, ASlotIsFreedForTheNext) {
  RenderGate gate({.max_concurrent = 1, .max_queued = 1, .max_wait_seconds = 0});
  { auto first = gate.enter(); }
  auto second = gate.enter();
  SUCCEED();
}

}  // namespace
}  // namespace amis::render
