#include "store/gpkg/rtree_bulk.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/error.hpp"

using namespace amis::store;
using namespace amis::store::gpkg;

namespace {

// An R-tree table filled by bulk_load_rtree, and what SQLite's own module says of it.
struct Loaded {
  sqlite::Database db{":memory:", sqlite::Database::Mode::ReadWrite};
  std::vector<RtreeEntry> entries;

  explicit Loaded(std::size_t n, unsigned seed = 1) {
    db.exec("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)");
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> x(92, 146), y(-11, 46), size(0, 0.5);
    for (std::size_t i = 0; i < n; ++i) {
      amis::core::Envelope e;
      e.expand(x(rng), y(rng));
      if (i % 3 == 0) e.expand(e.max_x + size(rng), e.max_y + size(rng));  // some boxes, most points
      entries.push_back(rtree_entry(static_cast<std::int64_t>(i) * 7 + 1, e));
    }
    bulk_load_rtree(db, "r", entries);
  }

  std::string check() {
    sqlite::Statement s(db.handle(), "SELECT rtreecheck('r')");
    s.step();
    return std::string(s.column_text(0));
  }

  std::set<std::int64_t> window(double x0, double y0, double x1, double y1) {
    sqlite::Statement s(db.handle(), "SELECT id FROM r WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?");
    s.bind(1, x0);
    s.bind(2, x1);
    s.bind(3, y0);
    s.bind(4, y1);
    std::set<std::int64_t> ids;
    while (s.step()) ids.insert(s.column_int(0));
    return ids;
  }
};

}  // namespace

TEST(RtreeBulk, RoundsOutwardsLikeSqlite) {
  amis::core::Envelope e;
  e.expand(100.1, -7.3);
  const auto r = rtree_entry(5, e);
  EXPECT_LE(r.min_x, 100.1);
  EXPECT_GE(r.max_x, 100.1);
  EXPECT_LE(r.min_y, -7.3);
  EXPECT_GE(r.max_y, -7.3);
  EXPECT_LT(r.max_x - r.min_x, 3e-5);
}

TEST(RtreeBulk, EveryTreeShapeIsValidAndAnswersLikeAScan) {
  // 0 and 1 entries; exactly one full node; one more (two levels); thousands (three).
  for (std::size_t n : {0u, 1u, 51u, 52u, 3000u, 40000u}) {
    SCOPED_TRACE(n);
    Loaded t(n);
    EXPECT_EQ(t.check(), "ok");
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> x(92, 140), y(-11, 40), w(0.05, 6);
    for (int q = 0; q < 25; ++q) {
      const double x0 = x(rng), y0 = y(rng), x1 = x0 + w(rng), y1 = y0 + w(rng);
      std::set<std::int64_t> want;
      for (const auto& e : t.entries)
        if (e.max_x >= x0 && e.min_x <= x1 && e.max_y >= y0 && e.min_y <= y1) want.insert(e.id);
      EXPECT_EQ(t.window(x0, y0, x1, y1), want);
    }
  }
}

TEST(RtreeBulk, SqliteKeepsMaintainingTheTree) {
  Loaded t(5000);
  t.db.exec("DELETE FROM r WHERE id % 3 = 0");
  t.db.exec("INSERT INTO r SELECT id + 1000000, minx, maxx, miny, maxy FROM r WHERE id < 10000");
  EXPECT_EQ(t.check(), "ok");
}

TEST(RtreeBulk, RefusesATreeThatIsNotEmpty) {
  Loaded t(10);
  EXPECT_THROW(bulk_load_rtree(t.db, "r", t.entries), amis::core::ServerError);
}
