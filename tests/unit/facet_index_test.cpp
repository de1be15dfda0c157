// The facet terms in memory (store/facet_index.hpp): counts over a set of matches
// equal those counted one record at a time (the oracle), whatever order the terms
// come in; an index beyond its bounds is not built; the cache builds in the
// background, answers nothing until the version it is asked for is built, and keeps
// the last index when a build fails.
#include "store/facet_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <random>
#include <stdexcept>
#include <chrono>
#include <thread>
#include <tuple>

namespace amis::store {
namespace {

using catalog::FacetField;

struct Row {
  FacetField field;
  std::string value;
  std::int64_t fid;
};

// Terms of 2,000 records (fids 1..2999, some without terms) from a fixed seed, by fid:
// keywords from a vocabulary of `keywords`, and `own` keywords no other record has.
std::vector<Row> catalogue_terms(unsigned keywords = 40, unsigned own = 0) {
  std::mt19937 random(20261206);
  std::vector<Row> rows;
  for (std::int64_t fid = 1; fid < 3000; ++fid) {
    if (fid % 3 == 0) continue;
    rows.push_back({FacetField::Country, "C" + std::to_string(random() % 13), fid});
    rows.push_back({FacetField::Type, random() % 4 ? "dataset" : "service", fid});
    for (unsigned k = random() % 6; k > 0; --k)
      rows.push_back({FacetField::Keyword, "k" + std::to_string(random() % keywords), fid});
    for (unsigned k = 0; k < own; ++k)
      rows.push_back({FacetField::Keyword, "r" + std::to_string(fid) + "-" + std::to_string(k), fid});
  }
  std::ranges::sort(rows, [](const Row& a, const Row& b) {
    return std::tie(a.fid, a.field, a.value) < std::tie(b.fid, b.field, b.value);
  });
  rows.erase(std::unique(rows.begin(), rows.end(),
                         [](const Row& a, const Row& b) { return a.field == b.field && a.value == b.value && a.fid == b.fid; }),
             rows.end());
  return rows;
}

std::map<std::pair<FacetField, std::string>, std::int64_t> counted(const std::vector<FacetRow>& rows) {
  std::map<std::pair<FacetField, std::string>, std::int64_t> out;
  for (const auto& r : rows) out[{r.field, r.value}] += r.count;
  return out;
}

// Term numbers of one byte (under 256 terms), two and four: the same counts.
class FacetIndexWidths : public ::testing::TestWithParam<std::tuple<unsigned, unsigned, int>> {};

TEST_P(FacetIndexWidths, CountsOverTheMatchesAreThoseOfEachMatchedRecord) {
  const auto [keywords, own, width] = GetParam();
  auto rows = catalogue_terms(keywords, own);
  for (bool shuffled : {false, true}) {
    SCOPED_TRACE(shuffled ? "a record's terms in any order" : "terms in key order");
    if (shuffled) {
      std::mt19937 random(7);
      for (auto first = rows.begin(); first != rows.end();) {
        auto last = std::find_if(first, rows.end(), [&](const Row& r) { return r.fid != first->fid; });
        std::shuffle(first, last, random);
        first = last;
      }
    }
    FacetIndex::Builder builder;
    for (const auto& r : rows) ASSERT_TRUE(builder.add(r.fid, r.field, r.value));
    const auto index = std::move(builder).finish(42);
    ASSERT_TRUE(index.has_value());
    EXPECT_EQ(index->version(), 42);
    EXPECT_EQ(index->postings(), static_cast<std::int64_t>(rows.size()));
    EXPECT_EQ(index->term_width(), width);
    std::mt19937 random(11);
    FacetIndex::Matches matches(*index);
    std::set<std::int64_t> matched;
    for (std::int64_t fid = 1; fid < 3100; ++fid)  // fids beyond the index: matched, in no term
      if (random() % 3 == 0) {
        matches.add(fid);
        matched.insert(fid);
      }
    EXPECT_EQ(matches.count(), static_cast<std::int64_t>(matched.size()));
    const std::vector<FacetField> fields = {FacetField::Keyword, FacetField::Type};
    std::vector<FacetRow> expected;
    for (const auto& r : rows)
      if ((r.field == FacetField::Keyword || r.field == FacetField::Type) && matched.count(r.fid))
        expected.push_back({r.field, r.value, 1});
    EXPECT_EQ(counted(matches.facet_rows(fields)), counted(expected));
    for (const auto& r : matches.facet_rows(fields)) EXPECT_GT(r.count, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(TermNumbers, FacetIndexWidths,
                         ::testing::Values(std::make_tuple(40u, 0u, 1), std::make_tuple(1000u, 0u, 2),
                                           std::make_tuple(40u, 40u, 4)));

TEST(FacetIndex, IsNotBuiltBeyondItsBounds) {
  FacetIndex::Builder builder;
  EXPECT_TRUE(builder.add(1, FacetField::Type, "dataset"));
  EXPECT_FALSE(builder.add(FacetIndex::kMaxFid, FacetField::Type, "dataset"));
  EXPECT_FALSE(builder.add(2, FacetField::Type, "dataset"));
  EXPECT_FALSE(std::move(builder).finish(1).has_value());
}

TEST(FacetIndex, IsNotBuiltFromRecordsOutOfOrder) {
  FacetIndex::Builder builder;
  EXPECT_TRUE(builder.add(5, FacetField::Type, "dataset"));
  EXPECT_TRUE(builder.add(5, FacetField::Country, "THA"));
  EXPECT_FALSE(builder.add(4, FacetField::Type, "dataset"));
  EXPECT_FALSE(std::move(builder).finish(1).has_value());
}

// The index of `version` once the cache has built it (a build starts no sooner than
// four times the last one's duration after it).
std::shared_ptr<const FacetIndex> built(FacetIndexCache& cache, std::int64_t version) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto index = cache.at(version)) return index;
    cache.wait_idle();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return nullptr;
}

TEST(FacetIndexCache, BuildsInTheBackgroundTheVersionTheStoreHolds) {
  std::atomic<std::int64_t> version{5};
  std::atomic<int> builds{0};
  std::atomic<bool> fail{false};
  FacetIndexCache cache([&](FacetIndex::Builder& b) -> std::int64_t {
    ++builds;
    if (fail) throw std::runtime_error("the store is busy");
    b.add(version, FacetField::Country, "THA");
    return version;
  });
  EXPECT_EQ(cache.at(5), nullptr);  // not built yet: the caller counts in SQL
  auto index = built(cache, 5);
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->version(), 5);
  EXPECT_EQ(builds, 1);
  version = 6;  // a record was written
  EXPECT_EQ(cache.at(6), nullptr);
  ASSERT_NE(built(cache, 6), nullptr);
  EXPECT_EQ(cache.at(6)->version(), 6);
  EXPECT_EQ(index->version(), 5);  // a search holding the older index still reads it
  // A failed build keeps nothing new, and the next one waits a second.
  fail = true;
  version = 7;
  while (builds == 2) {
    EXPECT_EQ(cache.at(7), nullptr);
    cache.wait_idle();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const int after_failure = builds;
  EXPECT_EQ(cache.at(7), nullptr);
  cache.wait_idle();
  EXPECT_EQ(builds, after_failure);
  EXPECT_EQ(cache.at(6)->version(), 6);
}

std::shared_ptr<const std::vector<FacetRow>> facet_rows(std::size_t n) {
  return std::make_shared<const std::vector<FacetRow>>(n, FacetRow{catalog::FacetField::Keyword, "k", 1});
}

// A word's facets are kept for their version only, and within the cache's bounds: a
// list larger than all it may hold is not kept, and older lists make room for new ones.
TEST(ListFacetsCache, KeepsTheVersionsListsWithinItsBounds) {
  ListFacetsCache cache;
  cache.keep(3, "\"gold\"", facet_rows(10));
  EXPECT_TRUE(cache.find(3, "\"gold\""));
  EXPECT_FALSE(cache.find(4, "\"gold\""));
  cache.keep(2, "\"tin\"", facet_rows(10));  // counted in an older snapshot
  EXPECT_FALSE(cache.find(2, "\"tin\""));
  EXPECT_FALSE(cache.find(3, "\"tin\""));
  cache.keep(3, "\"huge\"", facet_rows(ListFacetsCache::kMaxRows + 1));
  EXPECT_FALSE(cache.find(3, "\"huge\""));
  EXPECT_TRUE(cache.find(3, "\"gold\""));
  cache.keep(3, "\"big\"", facet_rows(ListFacetsCache::kMaxRows - 5));  // gold's 10 rows give way
  EXPECT_TRUE(cache.find(3, "\"big\""));
  EXPECT_FALSE(cache.find(3, "\"gold\""));
  cache.keep(4, "\"gold\"", facet_rows(10));  // a new version forgets the others
  EXPECT_TRUE(cache.find(4, "\"gold\""));
  EXPECT_FALSE(cache.find(4, "\"big\""));
  for (int i = 0; i < static_cast<int>(ListFacetsCache::kMaxLists) + 10; ++i)
    cache.keep(4, "w" + std::to_string(i), facet_rows(1));
  EXPECT_FALSE(cache.find(4, "w0"));  // the least recently used went first
  EXPECT_TRUE(cache.find(4, "w" + std::to_string(ListFacetsCache::kMaxLists + 9)));
}

}  // namespace
}  // namespace amis::store
