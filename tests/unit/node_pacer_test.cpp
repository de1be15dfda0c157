// Per-node rate limits (issue 16): the slots NodePacer hands out, the paced getter's
// spacing, Retry-After in NodeClient's retries, and the rate limit's text.
#include <gtest/gtest.h>

#include <vector>

#include "core/error.hpp"
#include "federation/node.hpp"
#include "federation/node_client.hpp"
#include "federation/node_pacer.hpp"

namespace amis::federation {
namespace {

using Clock = NodePacer::Clock;
using std::chrono::milliseconds;

TEST(NodePacer, SpacesTheRequestsToAnOriginAtItsRate) {
  NodePacer pacer;
  const auto t0 = Clock::now();
  const auto far = t0 + std::chrono::hours(1);
  EXPECT_EQ(pacer.reserve("http://a", 2, t0, far), t0);
  EXPECT_EQ(pacer.reserve("http://a", 2, t0, far), t0 + milliseconds(500));
  EXPECT_EQ(pacer.reserve("http://a", 2, t0 + milliseconds(100), far), t0 + milliseconds(1000));
  // Another origin has its own spacing; no limit takes no slot.
  EXPECT_EQ(pacer.reserve("http://b", 2, t0, far), t0);
  EXPECT_EQ(pacer.reserve("http://a", 0, t0, far), t0);
  // Once the origin has been quiet, the next request goes at once.
  const auto later = t0 + std::chrono::seconds(10);
  EXPECT_EQ(pacer.reserve("http://a", 2, later, far), later);
}

TEST(NodePacer, RefusesASlotPastTheDeadlineAndKeepsItFree) {
  NodePacer pacer;
  const auto t0 = Clock::now();
  EXPECT_EQ(pacer.reserve("http://a", 1, t0, t0), t0);
  EXPECT_FALSE(pacer.reserve("http://a", 1, t0, t0 + milliseconds(999)));
  EXPECT_EQ(pacer.reserve("http://a", 1, t0, t0 + milliseconds(1000)), t0 + milliseconds(1000));
}

TEST(NodePacer, EachRequestTakesTheIntervalOfItsOwnRate) {
  NodePacer pacer;  // two nodes on one origin, registered with different rates
  const auto t0 = Clock::now();
  const auto far = t0 + std::chrono::hours(1);
  EXPECT_EQ(pacer.reserve("http://a", 0.5, t0, far), t0);
  EXPECT_EQ(pacer.reserve("http://a", 10, t0, far), t0 + milliseconds(2000));
  EXPECT_EQ(pacer.reserve("http://a", 10, t0, far), t0 + milliseconds(2100));
}

// Answers from a list, one per request, and notes when each was asked.
class ScriptedGetter final : public HttpGetter {
 public:
  explicit ScriptedGetter(std::vector<Fetched> answers) : answers_(std::move(answers)) {}
  Fetched get(const NodeUrl&, std::string_view, std::string_view, const FetchLimits& limits,
              const Validators&) override {
    asked.push_back(Clock::now());
    timeouts.push_back(limits.timeout);
    Fetched f = answers_.at(std::min(asked.size() - 1, answers_.size() - 1));
    return f;
  }
  std::vector<Clock::time_point> asked;
  std::vector<milliseconds> timeouts;

 private:
  std::vector<Fetched> answers_;
};

Fetched answer(int status, std::int64_t retry_after = -1) {
  Fetched f;
  f.status = status;
  f.retry_after = retry_after;
  f.body = "ok";
  return f;
}

// The paced getter owns its inner getter; this one forwards to a ScriptedGetter the test keeps.
class Forward final : public HttpGetter {
 public:
  explicit Forward(HttpGetter& to) : to_(to) {}
  Fetched get(const NodeUrl& u, std::string_view a, std::string_view t, const FetchLimits& l,
              const Validators& v) override {
    return to_.get(u, a, t, l, v);
  }

 private:
  HttpGetter& to_;
};

TEST(PacedGetter, NoTwoRequestsToANodeCloserThanItsRateAllows) {
  ScriptedGetter inner({answer(200)});
  const auto getter = paced(std::make_unique<Forward>(inner));
  Node node;
  node.url = "http://node.example.org:8080/csw";
  node.rate_limit = 20;  // 50 ms apart
  NodeClient client(node, *getter, FetchLimits{});
  const auto start = Clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.get(parse_node_url("http://node.example.org:8080/csw?p=" + std::to_string(i)), "*/*"), "ok");
  ASSERT_EQ(inner.asked.size(), 5u);
  // The i-th request's slot is i intervals after the first's (a late wake-up may shorten
  // one gap, never the distance from the start).
  for (std::size_t i = 1; i < inner.asked.size(); ++i)
    EXPECT_GE(inner.asked[i] - start, milliseconds(50) * static_cast<int>(i)) << i;
}

TEST(PacedGetter, BackgroundWorkWaitsForItsSlotBeyondTheRequestTimeout) {
  ScriptedGetter inner({answer(200)});
  const auto getter = paced(std::make_unique<Forward>(inner));
  FetchLimits limits;
  limits.per_second = 5;  // 200 ms apart
  limits.timeout = milliseconds(50);
  limits.pace_within = milliseconds(2000);
  const auto url = parse_node_url("http://node.example.org/");
  EXPECT_EQ(getter->get(url, "*/*", "", limits, {}).status, 200);
  EXPECT_EQ(getter->get(url, "*/*", "", limits, {}).status, 200);
  EXPECT_EQ(inner.timeouts.back(), milliseconds(50));  // the exchange has its whole timeout
}

TEST(PacedGetter, AWaitingClientsTimeoutBoundsTheWaitAndTheExchangeTogether) {
  ScriptedGetter inner({answer(200)});
  const auto getter = paced(std::make_unique<Forward>(inner));
  FetchLimits limits;
  limits.per_second = 1;  // a second apart
  limits.timeout = milliseconds(5000);
  const auto url = parse_node_url("http://node.example.org/");
  EXPECT_EQ(getter->get(url, "*/*", "", limits, {}).status, 200);
  EXPECT_EQ(getter->get(url, "*/*", "", limits, {}).status, 200);
  ASSERT_EQ(inner.timeouts.size(), 2u);
  EXPECT_LE(inner.timeouts[1], milliseconds(4100));  // what the wait for the slot left
}

TEST(PacedGetter, ARequestWithNoFreeSlotBeforeItsTimeoutFailsAsTimedOut) {
  ScriptedGetter inner({answer(200)});
  const auto getter = paced(std::make_unique<Forward>(inner));
  FetchLimits limits;
  limits.per_second = 1.0 / 60;  // a request a minute
  limits.timeout = milliseconds(200);
  const auto url = parse_node_url("http://node.example.org/");
  EXPECT_EQ(getter->get(url, "*/*", "", limits, {}).status, 200);
  try {
    getter->get(url, "*/*", "", limits, {});
    FAIL() << "a second request within the minute was sent";
  } catch (const FetchFailed& e) {
    EXPECT_TRUE(e.timed_out());
    EXPECT_TRUE(e.transient());
    EXPECT_NE(std::string(e.what()).find("rate limit"), std::string::npos) << e.what();
  }
  EXPECT_EQ(inner.asked.size(), 1u);
}

TEST(NodeClient, WaitsWhatRetryAfterAsksBeforeTryingAgain) {
  ScriptedGetter getter({answer(429, 1), answer(200)});
  FetchLimits limits;
  limits.backoff = milliseconds(10);
  NodeClient client(parse_node_url("http://node.example.org/"), "", getter, limits);
  EXPECT_EQ(client.get(parse_node_url("http://node.example.org/x"), "*/*"), "ok");
  ASSERT_EQ(getter.asked.size(), 2u);
  EXPECT_GE(getter.asked[1] - getter.asked[0], milliseconds(1000));
}

TEST(NodeClient, GivesUpAtOnceWhenRetryAfterIsLongerThanTheLimit) {
  ScriptedGetter getter({answer(503, 3600), answer(200)});
  NodeClient client(parse_node_url("http://node.example.org/"), "", getter, FetchLimits{});
  try {
    client.get(parse_node_url("http://node.example.org/x"), "*/*");
    FAIL() << "the client waited an hour";
  } catch (const FetchFailed& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_TRUE(e.transient());
    EXPECT_NE(std::string(e.what()).find("asking to wait 3600 s"), std::string::npos) << e.what();
  }
  EXPECT_EQ(getter.asked.size(), 1u);
}

TEST(RateLimit, ReadsRequestsASecondOrAMinute) {
  EXPECT_EQ(parse_rate_limit("2"), 2);
  EXPECT_EQ(parse_rate_limit("0.5/s"), 0.5);
  EXPECT_DOUBLE_EQ(parse_rate_limit("30/min"), 0.5);
  EXPECT_DOUBLE_EQ(parse_rate_limit("1/min"), 1.0 / 60);
  EXPECT_EQ(parse_rate_limit("off"), 0);
  EXPECT_EQ(rate_limit_text(2), "2/s");
  EXPECT_EQ(rate_limit_text(0.5), "30/min");
  EXPECT_EQ(rate_limit_text(1.5), "1.5/s");
  EXPECT_EQ(rate_limit_text(0), "off");
  EXPECT_EQ(parse_rate_limit("0.0"), 0);
  EXPECT_EQ(checked_rate_limit(0.25), 0.25);
  EXPECT_THROW(checked_rate_limit(0.001), core::InvalidValue);
  for (const char* bad : {"", "fast", "-1", "0.5/min", "1001", "2/h", "nan", "inf", "2/s "})
    EXPECT_THROW(parse_rate_limit(bad), core::InvalidValue) << bad;
}

TEST(RateLimit, IsValidatedWithTheNode) {
  Node node;
  node.name = "idn";
  node.url = "http://node.example.org/";
  node.country = "IDN";
  node.rate_limit = 2000;
  EXPECT_THROW(validate(node), core::InvalidValue);
  node.rate_limit = 2;
  EXPECT_NO_THROW(validate(node));
}

}  // namespace
}  // namespace amis::federation
