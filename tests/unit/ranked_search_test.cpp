// Ranked full-text searches from memory (store/ranked_matches.hpp,
// store/record_extents.hpp): the extents' bbox and datetime conditions against plain
// SQLite evaluating the same conditions on the same rows; the cache of ranked lists;
// and the GeoPackage catalogue answering the same pages, counts and facets from
// memory as through SQL, for random searches on random records.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <atomic>
#include <cmath>
#include <random>
#include <set>
#include <sqlite3.h>

#include "query/cql2.hpp"
#include "store/gpkg/gpkg_catalog.hpp"
#include "store/ranked_matches.hpp"
#include "store/record_extents.hpp"
#include "test_support.hpp"

namespace {

using namespace amis;

// Times as the records hold them: dates alone and instants, some equal.
const std::vector<std::string> kTimes = {"1990-01-01", "1990-01-01T00:00:00.000Z", "1995-06-30T12:00:00.000Z",
                                         "2000-02-29", "2000-02-29T23:59:59.999Z", "2005-12-31",
                                         "2010-01-01T00:00:00.000Z", "2020-07-15"};

struct Row {
  std::int64_t fid;
  std::optional<core::Envelope> extent;
  std::optional<std::string> start, end;
};

std::optional<std::string> some_time(std::mt19937& rng) {
  const auto i = rng() % (kTimes.size() + 2);
  if (i >= kTimes.size()) return std::nullopt;
  return kTimes[i];
}

core::Envelope some_box(std::mt19937& rng, double max_width) {
  std::uniform_real_distribution<double> x(-180, 180), y(-90, 90), w(0, max_width);
  const double x0 = std::floor(x(rng)), y0 = std::floor(y(rng));  // whole degrees: edges that touch
  return {x0, y0, std::min(180.0, x0 + std::floor(w(rng))), std::min(90.0, y0 + std::floor(w(rng)))};
}

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
}

// The fids SQLite selects with the catalogue's conditions, written out here.
std::set<std::int64_t> sqlite_selects(sqlite3* db, const std::optional<core::Envelope>& bbox,
                                      const std::optional<core::TimeInterval>& t) {
  std::string sql = "SELECT fid FROM r WHERE 1";
  std::vector<std::string> texts;
  if (bbox) {
    std::vector<core::Envelope> boxes{*bbox};
    if (bbox->min_x > bbox->max_x)
      boxes = {{bbox->min_x, bbox->min_y, 180, bbox->max_y}, {-180, bbox->min_y, bbox->max_x, bbox->max_y}};
    sql += " AND (0";
    for (const auto& b : boxes)
      sql += " OR (min_x <= " + std::to_string(b.max_x) + " AND max_x >= " + std::to_string(b.min_x) +
             " AND min_y <= " + std::to_string(b.max_y) + " AND max_y >= " + std::to_string(b.min_y) + ")";
    sql += ")";
  }
  if (t) {
    sql += " AND (time_start IS NOT NULL OR time_end IS NOT NULL)";
    if (t->end) sql += " AND (time_start IS NULL OR time_start <= '" + *t->end + "')";
    if (t->start) sql += " AND (time_end IS NULL OR time_end >= '" + *t->start + "')";
  }
  std::set<std::int64_t> out;
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
  while (sqlite3_step(s) == SQLITE_ROW) out.insert(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  return out;
}

TEST(RecordExtents, MeetWhatSqliteSelectsWithTheSameConditions) {
  std::mt19937 rng(20261206);
  std::vector<Row> rows;
  for (std::int64_t fid = 1; fid <= 3000; fid += 1 + static_cast<std::int64_t>(rng() % 3)) {  // gaps: deleted records
    Row r{fid, std::nullopt, some_time(rng), some_time(rng)};
    if (rng() % 10) r.extent = some_box(rng, 60);
    rows.push_back(r);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  exec(db, "CREATE TABLE r (fid INTEGER PRIMARY KEY, min_x REAL, min_y REAL, max_x REAL, max_y REAL, time_start TEXT, time_end TEXT)");
  store::RecordExtents::Builder builder;
  for (const auto& r : rows) {
    const auto text = [](const std::optional<std::string>& t) { return t ? "'" + *t + "'" : std::string("NULL"); };
    const auto number = [&](double core::Envelope::*m) { return r.extent ? std::to_string((*r.extent).*m) : std::string("NULL"); };
    exec(db, "INSERT INTO r VALUES (" + std::to_string(r.fid) + ", " + number(&core::Envelope::min_x) + ", " +
                 number(&core::Envelope::min_y) + ", " + number(&core::Envelope::max_x) + ", " +
                 number(&core::Envelope::max_y) + ", " + text(r.start) + ", " + text(r.end) + ")");
    ASSERT_TRUE(builder.add(r.fid, r.extent, r.start ? std::optional<std::string_view>(*r.start) : std::nullopt,
                            r.end ? std::optional<std::string_view>(*r.end) : std::nullopt));
  }
  const auto extents = std::move(builder).finish(7);
  ASSERT_TRUE(extents);
  EXPECT_EQ(extents->version(), 7);

  // Query times include values held and values between them.
  std::vector<std::string> query_times = kTimes;
  for (const char* t : {"1989-12-31", "1990-01-01T00:00:00Z", "2000-03-01", "2030-01-01"}) query_times.emplace_back(t);
  int nonempty = 0;
  for (int i = 0; i < 400; ++i) {
    std::optional<core::Envelope> bbox;
    std::optional<core::TimeInterval> t;
    if (rng() % 3) {
      bbox = some_box(rng, 90);
      if (rng() % 5 == 0) bbox->max_x = bbox->min_x - 10 - static_cast<double>(rng() % 100);  // across the antimeridian
    }
    if (rng() % 3) {
      t = core::TimeInterval{};
      if (rng() % 4) t->start = query_times[rng() % query_times.size()];
      if (rng() % 4) t->end = query_times[rng() % query_times.size()];
    }
    const auto window = extents->window(bbox, t);
    std::set<std::int64_t> met;
    for (std::uint32_t fid = 0; fid < 3100; ++fid)
      if (extents->meets(fid, window)) met.insert(fid);
    const auto expected = sqlite_selects(db, bbox, t);
    EXPECT_EQ(met, expected) << "query " << i;
    std::set<std::int64_t> in_bitmap;
    const auto bits = extents->bitmap(window);
    for (std::size_t fid = 0; fid < bits.size() * 64; ++fid)
      if ((bits[fid >> 6] >> (fid & 63)) & 1u) in_bitmap.insert(static_cast<std::int64_t>(fid));
    EXPECT_EQ(in_bitmap, expected) << "query " << i;
    nonempty += !expected.empty() && expected.size() < rows.size();
  }
  EXPECT_GT(nonempty, 200);  // the comparisons are not all trivially empty or everything
  sqlite3_close(db);
}

TEST(RecordExtents, AreNotBuiltBeyondTheirBound) {
  store::RecordExtents::Builder builder;
  EXPECT_TRUE(builder.add(1, std::nullopt, std::nullopt, std::nullopt));
  EXPECT_FALSE(builder.add(store::RecordExtents::kMaxFid, std::nullopt, std::nullopt, std::nullopt));
  EXPECT_FALSE(std::move(builder).finish(1));
}

TEST(RankedMatchesCache, ReadsWhatIsAskedForInTheBackground) {
  std::atomic<int> reads{0};
  store::RankedMatchesCache cache([&](const std::string& match) {
    ++reads;
    return std::pair{std::int64_t{9}, std::make_shared<const store::RankedMatchesCache::Ranked>(match.size(), 1u)};
  });
  EXPECT_FALSE(cache.find(9, "\"gold\""));
  cache.request("\"gold\"");
  cache.request("\"gold\"");  // asked for again while waiting: read once
  cache.wait_idle();
  ASSERT_TRUE(cache.find(9, "\"gold\""));
  EXPECT_EQ(cache.find(9, "\"gold\"")->size(), 6u);
  EXPECT_EQ(reads, 1);
}

TEST(RankedMatchesCache, KeepsTheNewestVersionAndTheRecentlyUsed) {
  store::RankedMatchesCache cache([](const std::string&) {
    return std::pair{std::int64_t{0}, std::shared_ptr<const store::RankedMatchesCache::Ranked>()};
  });
  const auto list = [](std::size_t n) { return std::make_shared<const store::RankedMatchesCache::Ranked>(n, 1u); };
  cache.keep(3, "\"gold\"", list(10));
  cache.keep(3, "\"coal\"", list(5));
  ASSERT_TRUE(cache.find(3, "\"gold\""));
  EXPECT_EQ(cache.find(3, "\"gold\"")->size(), 10u);
  EXPECT_FALSE(cache.find(4, "\"gold\""));  // another version
  EXPECT_EQ(cache.held(), 15u);
  cache.keep(2, "\"tin\"", list(1));  // read before version 3 was kept: dropped
  EXPECT_FALSE(cache.find(2, "\"tin\""));
  cache.keep(4, "\"tin\"", list(2));  // version 4: version 3's lists go
  EXPECT_FALSE(cache.find(3, "\"coal\""));
  EXPECT_EQ(cache.held(), 2u);
  cache.keep(4, "\"tin\"", list(4));  // the same list again replaces it
  EXPECT_EQ(cache.held(), 4u);
  // Beyond the bound the least recently used go first.
  cache.keep(4, "\"big\"", list(store::RankedMatchesCache::kMaxHeld - 4));
  cache.find(4, "\"tin\"");
  cache.keep(4, "\"more\"", list(3));
  EXPECT_TRUE(cache.find(4, "\"tin\""));
  EXPECT_TRUE(cache.find(4, "\"more\""));
  EXPECT_FALSE(cache.find(4, "\"big\""));
  cache.keep(4, "\"too big\"", list(store::RankedMatchesCache::kMaxHeld + 1));
  EXPECT_FALSE(cache.find(4, "\"too big\""));
}

struct Collect : store::RecordSink {
  std::vector<std::string> ids;
  void record(const catalog::Record& r) override { ids.push_back(r.id); }
};

const std::vector<std::string> kWords = {"gold", "copper", "nickel", "coal", "tin", "survey", "map", "deposit"};

catalog::Record random_record(std::mt19937& rng, int i) {
  catalog::Record r;
  r.id = "rec-" + std::to_string(1000 + i);
  for (int w = 0; w < 3; ++w) r.title += kWords[rng() % kWords.size()] + " ";
  for (int w = 0; w < 8; ++w) r.abstract += kWords[rng() % kWords.size()] + " ";
  r.type = rng() % 4 ? "dataset" : "document";
  r.keywords = {{{kWords[rng() % kWords.size()]}, "", "", ""}};
  r.country = std::vector<std::string>{"IDN", "MMR", "THA", ""}[rng() % 4];
  if (rng() % 8) r.extent = some_box(rng, 40);
  const auto start = some_time(rng), end = some_time(rng);
  if (start || end) r.temporal_extent = core::TimeInterval{start, end};
  return r;
}

class RankedSearch : public ::testing::Test {
 protected:
  RankedSearch() : path_("ranked"), catalog_(path_.str()) {
    std::mt19937 rng(7);
    auto writer = catalog_.writer();
    for (int i = 0; i < 600; ++i) writer->put(random_record(rng, i));
    writer->commit();
  }
  // Ids of the page, then numberMatched and the facets.
  std::vector<std::string> answer(const catalog::CatalogQuery& q) {
    Collect c;
    const auto s = catalog_.search(q, c);
    auto out = c.ids;
    out.push_back("matched " + (s.matched ? std::to_string(*s.matched) : std::string("-")));
    for (const auto& f : s.facets)
      for (const auto& b : f.buckets) out.push_back(std::string(catalog::to_string(f.field)) + ":" + b.value + "=" + std::to_string(b.count));
    return out;
  }
  // The same search through SQL: a filter true of every record leaves the lists in memory out.
  std::vector<std::string> through_sql(catalog::CatalogQuery q) {
    q.filter = std::make_shared<core::Expression>(query::parse_cql2_text("id IS NOT NULL"));
    return answer(q);
  }
  amis::testing::TempStorePath path_;
  store::gpkg::GpkgCatalog catalog_;
};

TEST_F(RankedSearch, PagesCountsAndFacetsAreThoseOfSql) {
  std::mt19937 rng(11);
  catalog_.wait_for_indexes();
  catalog::CatalogQuery warm;  // builds the extents and facets of this version
  warm.q = {"gold"};
  warm.bbox = core::Envelope{-180, -90, 180, 90};
  warm.facets = {catalog::FacetField::Keyword};
  answer(warm);
  catalog_.wait_for_indexes();
  int ranked_pages = 0;
  for (int i = 0; i < 150; ++i) {
    catalog::CatalogQuery q;
    if (rng() % 4) q.q = {kWords[rng() % kWords.size()]};  // else every record, by id
    if (rng() % 3 == 0) q.q.push_back(kWords[rng() % kWords.size()] + " " + kWords[rng() % kWords.size()]);
    if (rng() % 2) q.bbox = some_box(rng, 120);
    if (rng() % 2) q.datetime = core::TimeInterval{some_time(rng), some_time(rng)};
    q.limit = static_cast<std::int64_t>(rng() % 12);
    q.offset = static_cast<std::int64_t>(rng() % 40);
    if (rng() % 10 == 0) q.offset = 1000 + static_cast<std::int64_t>(rng() % 10);  // deep: beyond the 600
    q.count = rng() % 4 != 0;
    if (rng() % 2) q.facets = {catalog::FacetField::Keyword, catalog::FacetField::Country, catalog::FacetField::Type};
    const auto expected = through_sql(q);
    EXPECT_EQ(answer(q), expected) << "search " << i << " before its list is read";
    catalog_.wait_for_indexes();
    EXPECT_EQ(answer(q), expected) << "search " << i << " q " << (q.q.empty() ? "-" : q.q[0]) << " offset " << q.offset;
    EXPECT_EQ(answer(q), expected) << "search " << i << " again (a list's facets kept)";
    ranked_pages += expected.size() > 3;
  }
  EXPECT_GT(ranked_pages, 50);
  EXPECT_GT(catalog_.ranked_matches_held(), 600u);  // the lists were read, and searched
}

// After a write the lists of the older version are not used: the answer is the new
// version's (through SQL until the extents are built again, then from memory).
TEST_F(RankedSearch, AWriteIsSeenAtOnce) {
  catalog::CatalogQuery q;
  q.q = {"gold"};
  q.bbox = core::Envelope{-180, -90, 180, 90};
  q.limit = 1000;
  answer(q);
  catalog_.wait_for_indexes();
  const auto before = answer(q);
  EXPECT_GT(catalog_.ranked_matches_held(), 0u);
  catalog::Record r;
  r.id = "rec-new";
  r.title = "gold gold gold";
  r.type = "dataset";
  r.extent = core::Envelope{0, 0, 1, 1};
  catalog_.put(r);
  const auto after = answer(q);
  EXPECT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(after, through_sql(q));
  catalog_.wait_for_indexes();
  EXPECT_EQ(answer(q), after);
  catalog_.remove("rec-new");
  EXPECT_EQ(answer(q), before);
}

// The facets of a word's whole list are kept for its records version: a write changes
// them at once, and removing the record again brings the first counts back.
TEST_F(RankedSearch, TheFacetsOfAListFollowWrites) {
  catalog::CatalogQuery q;
  q.q = {"gold"};
  q.limit = 5;
  q.facets = {catalog::FacetField::Keyword, catalog::FacetField::Country, catalog::FacetField::Type};
  answer(q);
  catalog_.wait_for_indexes();
  const auto before = answer(q);
  EXPECT_EQ(answer(q), before);
  EXPECT_EQ(before, through_sql(q));
  catalog::Record r;
  r.id = "rec-new";
  r.title = "gold";
  r.type = "service";
  r.country = "KHM";
  r.keywords = {{{"gold"}, "", "", ""}};
  catalog_.put(r);
  // Through SQL at first, from the new version's lists and facet terms once they are
  // built (each build waits out a throttle after the last): asked until then.
  const auto expected = through_sql(q);
  EXPECT_NE(std::find(expected.begin(), expected.end(), "country:KHM=1"), expected.end());
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(answer(q), expected) << "search " << i << " after the write";
    catalog_.wait_for_indexes();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  catalog_.remove("rec-new");
  answer(q);
  catalog_.wait_for_indexes();
  EXPECT_EQ(answer(q), before);
}

}  // namespace
