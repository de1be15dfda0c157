// The HTTP layer's own rules: request heads (RFC 9112 framing, Host), the
// worker pool's bound, connection limits per address.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "http/connection_limits.hpp"
#include "http/request_head.hpp"
#include "http/worker_pool.hpp"

namespace beast_http = boost::beast::http;
using amis::http::ConnectionLimits;
using amis::http::request_head_problem;
using amis::http::valid_host;
using amis::http::WorkerPool;

namespace {

beast_http::fields head(std::initializer_list<std::pair<const char*, const char*>> lines) {
  beast_http::fields f;
  for (const auto& [name, value] : lines) f.insert(name, value);
  return f;
}

}  // namespace

TEST(RequestHead, AcceptsAnOrdinaryHead) {
  EXPECT_FALSE(request_head_problem(11, head({{"Host", "amis.example.org"}})));
  EXPECT_FALSE(request_head_problem(11, head({{"Host", "h"}, {"Transfer-Encoding", "chunked"}})));
  EXPECT_FALSE(request_head_problem(11, head({{"Host", "h"}, {"Transfer-Encoding", "Chunked"}})));
  EXPECT_FALSE(request_head_problem(10, head({})));  // HTTP/1.0 needs no Host
}

TEST(RequestHead, RefusesFramingThatCouldSmuggleARequest) {
  for (const char* coding : {"xchunked", "identity", "gzip", "chunked, identity", "gzip, chunked", "chunked, chunked",
                             "chunked,", ""}) {
    EXPECT_TRUE(request_head_problem(11, head({{"Host", "h"}, {"Transfer-Encoding", coding}}))) << coding;
  }
  EXPECT_TRUE(request_head_problem(11, head({{"Host", "h"}, {"Transfer-Encoding", "chunked"},
                                             {"Transfer-Encoding", "identity"}})));
  EXPECT_TRUE(request_head_problem(11, head({{"Host", "h"}, {"Transfer-Encoding", "chunked"},
                                             {"Content-Length", "3"}})));
  EXPECT_TRUE(request_head_problem(10, head({{"Transfer-Encoding", "chunked"}})));
}

TEST(RequestHead, NeedsExactlyOneValidHost) {
  EXPECT_TRUE(request_head_problem(11, head({})));
  EXPECT_TRUE(request_head_problem(11, head({{"Host", "a"}, {"Host", "a"}})));
  EXPECT_TRUE(request_head_problem(10, head({{"Host", "a"}, {"Host", "b"}})));
  EXPECT_TRUE(request_head_problem(11, head({{"Host", "evil.com\"><script>alert(1)</script>"}})));
}

TEST(ValidHost, NamesAddressesAndPorts) {
  for (const char* ok : {"localhost", "amis.example.org", "amis.example.org:8443", "10.0.0.1", "10.0.0.1:80",
                         "[::1]", "[::1]:8080", "[2001:db8::7]", "under_score.example"})
    EXPECT_TRUE(valid_host(ok)) << ok;
  for (const char* bad : {"", ":80", "a b", "a\"b", "a'b", "a<b", "a/b", "a@b", "example.org:", "example.org:80x",
                          "example.org:123456", "[::1", "[]", "[::1]x", "[::1]:", "[zz::1]", "a%20b"})
    EXPECT_FALSE(valid_host(bad)) << bad;
  EXPECT_FALSE(valid_host(std::string(256, 'a')));
}

TEST(WorkerPool, RefusesWorkBeyondItsQueue) {
  WorkerPool pool(1, 2);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<int> done{0};
  auto block = [released, &done] {
    released.wait();
    ++done;
  };
  std::promise<void> started;
  ASSERT_TRUE(pool.try_submit([&started, block] {
    started.set_value();
    block();
  }));
  started.get_future().wait();  // the one worker is busy: the queue is empty
  EXPECT_TRUE(pool.try_submit(block));
  EXPECT_TRUE(pool.try_submit(block));
  EXPECT_FALSE(pool.try_submit(block));  // two wait already
  EXPECT_EQ(pool.pending(), 3u);
  release.set_value();
  EXPECT_TRUE(pool.drain(std::chrono::seconds(5)));
  EXPECT_EQ(done.load(), 3);
  EXPECT_TRUE(pool.try_submit(block));  // room again
  EXPECT_TRUE(pool.drain(std::chrono::seconds(5)));
}

TEST(WorkerPool, AJobThatThrowsDoesNotStopTheWorker) {
  WorkerPool pool(1, 4);
  std::atomic<int> done{0};
  ASSERT_TRUE(pool.try_submit([] { throw std::runtime_error("boom"); }));
  ASSERT_TRUE(pool.try_submit([&done] { ++done; }));
  EXPECT_TRUE(pool.drain(std::chrono::seconds(5)));
  EXPECT_EQ(done.load(), 1);
}

TEST(ConnectionLimits, HoldsEachAddressToItsShareAndGivesPlacesBack) {
  ConnectionLimits limits(5, 2, {"10.0.0.9"});
  auto a1 = limits.try_acquire("192.0.2.1");
  auto a2 = limits.try_acquire("192.0.2.1");
  EXPECT_TRUE(a1 && a2);
  EXPECT_FALSE(limits.try_acquire("192.0.2.1"));
  auto b1 = limits.try_acquire("192.0.2.2");
  EXPECT_TRUE(b1);
  {
    auto p1 = limits.try_acquire("10.0.0.9");  // a trusted proxy: only the total counts
    auto p2 = limits.try_acquire("10.0.0.9");
    EXPECT_TRUE(p1 && p2);
    EXPECT_EQ(limits.total(), 5u);
    EXPECT_FALSE(limits.try_acquire("192.0.2.3"));  // the total is reached
  }
  EXPECT_EQ(limits.total(), 3u);
  { auto moved = std::move(a1); }  // a moved slot is given back once
  EXPECT_EQ(limits.total(), 2u);
  EXPECT_TRUE(limits.try_acquire("192.0.2.1"));
}
