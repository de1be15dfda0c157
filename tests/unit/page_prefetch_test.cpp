// The harvest's page prefetch (federation/page_prefetch.hpp): pages in the source's
// order, failures where they happened, the next page fetched while one is written,
// the thread ended whatever the harvest does.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

#include "federation/page_prefetch.hpp"

namespace amis::federation {
namespace {

using namespace std::chrono_literals;

// A listing of `pages` pages of one item each, named by their number; the pages in
// `failing` throw instead; `resumable` says whether the listing goes on after one.
class CountingSource final : public HarvestSource {
 public:
  CountingSource(int pages, std::set<int> failing = {}, bool resumable = true)
      : pages_(pages), failing_(std::move(failing)), resumable_(resumable) {}

  std::optional<SourcePage> next_page() override {
    const int n = ++calls_;
    if (gate_) gate_->wait();  // the test decides when a page comes
    if (n > pages_) return std::nullopt;
    if (failing_.contains(n)) throw std::runtime_error("page " + std::to_string(n) + " failed");
    SourcePage page;
    page.items.push_back({std::to_string(n), "digest", "", {}});
    return page;
  }
  bool resumable() const override { return resumable_; }

  std::atomic<int> calls_ = 0;
  std::shared_future<void>* gate_ = nullptr;

 private:
  int pages_;
  std::set<int> failing_;
  bool resumable_;
};

std::string listing(PagePrefetch& pages) {
  std::string out;
  for (;;) {
    PrefetchedPage p = pages.next();
    if (p.error) {
      out += "!" + *p.error + (p.resumable ? ";" : ".");
      if (!p.resumable) break;
      continue;
    }
    if (!p.page) break;
    out += p.page->items.front().source_id + ";";
  }
  return out;
}

TEST(PagePrefetch, GivesThePagesInTheSourcesOrderAndTheEnd) {
  CountingSource source(5);
  PagePrefetch pages(source);
  EXPECT_EQ(listing(pages), "1;2;3;4;5;");
  EXPECT_EQ(source.calls_, 6);  // the sixth call said the listing ended, and no call followed
}

TEST(PagePrefetch, AResumableFailureIsGivenInItsPlaceAndTheListingGoesOn) {
  CountingSource source(4, {2, 3});
  PagePrefetch pages(source);
  EXPECT_EQ(listing(pages), "1;!page 2 failed;!page 3 failed;4;");
}

TEST(PagePrefetch, AFailureTheListingCannotGoOnFromEndsIt) {
  CountingSource source(4, {2}, false);
  PagePrefetch pages(source);
  EXPECT_EQ(listing(pages), "1;!page 2 failed.");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(source.calls_, 2);  // nothing was asked after it
}

TEST(PagePrefetch, AFirstPageThatFailsEndsTheListingEvenWhenResumable) {
  CountingSource source(4, {1}, true);
  PagePrefetch pages(source);
  PrefetchedPage p = pages.next();
  ASSERT_TRUE(p.error);
  EXPECT_EQ(*p.error, "page 1 failed");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(source.calls_, 1);
}

TEST(PagePrefetch, TheNextPageIsFetchedWhileOneIsWritten) {
  CountingSource source(3);
  PagePrefetch pages(source);
  PrefetchedPage first = pages.next();
  ASSERT_TRUE(first.page);
  // While page 1 is "written" (held here), page 2 is fetched and page 3 asked for,
  // and no further: one page waits ahead, one is being fetched.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (source.calls_ < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(source.calls_, 3);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(source.calls_, 3);  // page 3 waits for room: the 4th call (the end) is not made yet
  EXPECT_EQ(listing(pages), "2;3;");
}

TEST(PagePrefetch, TheTimeWaitedForTheSourceIsCounted) {
  std::promise<void> open;
  std::shared_future<void> gate = open.get_future().share();
  CountingSource source(1);
  source.gate_ = &gate;
  PagePrefetch pages(source);
  std::thread opener([&] {
    std::this_thread::sleep_for(200ms);
    open.set_value();
  });
  EXPECT_EQ(listing(pages), "1;");
  opener.join();
  EXPECT_GE(pages.blocked_seconds(), 0.15);
}

TEST(PagePrefetch, AHarvestThatStopsEarlyEndsTheThread) {
  CountingSource source(1000);
  {
    PagePrefetch pages(source);
    ASSERT_TRUE(pages.next().page);
  }  // destroyed with pages left: the thread ends, nothing hangs
  const int calls = source.calls_;
  EXPECT_LE(calls, 3);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(source.calls_, calls);
}

}  // namespace
}  // namespace amis::federation
