#include "api/features/count_cache.hpp"

#include <gtest/gtest.h>

namespace amis::api::features {
namespace {

core::Collection collection(const std::string& updated, std::int64_t count) {
  core::Collection c;
  c.id = "mines";
  c.updated = updated;
  c.feature_count = count;
  return c;
}

TEST(CountCache, AChangedCollectionIsANewKey) {
  CountCache cache;
  const auto before = CountCache::key(collection("2026-01-01T00:00:00.000Z", 10), "bbox=1,2,3,4&");
  cache.put(before, 7);
  EXPECT_EQ(cache.find(before), 7);
  EXPECT_FALSE(cache.find(CountCache::key(collection("2026-01-01T00:00:00.001Z", 10), "bbox=1,2,3,4&")));
  EXPECT_FALSE(cache.find(CountCache::key(collection("2026-01-01T00:00:00.000Z", 11), "bbox=1,2,3,4&")));
  EXPECT_FALSE(cache.find(CountCache::key(collection("2026-01-01T00:00:00.000Z", 10), "bbox=1,2,3,5&")));
}

TEST(CountCache, EvictsTheLeastRecentlyUsed) {
  CountCache cache(2);
  cache.put("a", 1);
  cache.put("b", 2);
  EXPECT_EQ(cache.find("a"), 1);  // a is now the most recent
  cache.put("c", 3);              // evicts b
  EXPECT_EQ(cache.find("a"), 1);
  EXPECT_FALSE(cache.find("b"));
  EXPECT_EQ(cache.find("c"), 3);
  cache.put("c", 4);
  EXPECT_EQ(cache.find("c"), 4);
}

TEST(CountCache, CapacityZeroKeepsNothing) {
  CountCache cache(0);
  cache.put("a", 1);
  EXPECT_FALSE(cache.find("a"));
}

}  // namespace
}  // namespace amis::api::features
