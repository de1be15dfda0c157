// The PostGIS store against a real PostgreSQL (tests/pg/with_postgres.sh starts
// one and gives AMIS_TEST_PG_URL): the same data in a GeoPackage store and in
// the PostGIS store must give the same answers — counts, filters, ordering,
// paging, values — for every query below. The GeoPackage store is the reference.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <sstream>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "core/error.hpp"
#include "core/request_budget.hpp"
#include "query/cql2.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/open_store.hpp"
#include "store/postgis/pg_connection.hpp"
#include "store/postgis/pg_schema.hpp"
#include "store/postgis/postgis_store.hpp"
#include "../unit/test_support.hpp"

namespace amis {
namespace {

const char* pg_url() {
  const char* url = std::getenv("AMIS_TEST_PG_URL");
  return url ? url : "";
}

core::Collection sites_collection() {
  core::Collection c;
  c.id = "sites";
  c.title = "Sites";
  c.geometry_type = "GEOMETRY";
  c.properties = {{"name", core::PropertyType::Text},        {"iso3", core::PropertyType::Text},
                  {"capacity", core::PropertyType::Real},    {"workers", core::PropertyType::Integer},
                  {"active", core::PropertyType::Boolean},   {"opened", core::PropertyType::DateTime},
                  {"surveyed", core::PropertyType::Date},    {"tags", core::PropertyType::Text}};
  c.temporal_property = "opened";
  return c;
}

// 1,500 features from a fixed seed: points, a few polygons and lines, some
// without geometry; nulls in every property; names with accents and case.
void write_sites(store::Store& store) {
  std::mt19937 random(20261205);
  std::uniform_real_distribution<double> lon(90, 150), lat(-12, 45), unit(0, 1);
  const char* iso3[] = {"KHM", "IDN", "CHN", "VNM", "THA", "PHL", "MYS", "LAO", "MMR", "JPN"};
  const char* stems[] = {"Mine", "mine", "Mỏ than", "Älv", "Quarry", "Sông", "Ölfeld", "pit"};
  auto writer = store.replace_collection(sites_collection());
  for (int i = 0; i < 1500; ++i) {
    const double x = lon(random), y = lat(random);
    std::ostringstream wkt;
    wkt.precision(10);
    if (i % 50 == 7) wkt << "POLYGON ((" << x << " " << y << ", " << x + 2 << " " << y << ", " << x + 2 << " "
                         << y + 1.5 << ", " << x << " " << y << "))";
    else if (i % 50 == 13) wkt << "LINESTRING (" << x << " " << y << ", " << x + 3 << " " << y - 1 << ")";
    else wkt << "POINT (" << x << " " << y << ")";
    const auto wkb = i % 97 == 5 ? std::vector<std::uint8_t>{} : testing::wkb_from_wkt(wkt.str().c_str());
    const std::string name = std::string(stems[i % 8]) + " " + std::to_string(i % 211);
    char opened[32], surveyed[16];
    std::snprintf(opened, sizeof opened, "%04d-%02d-%02dT%02d:%02d:00.000Z", 1960 + i % 60, 1 + i % 12, 1 + i % 28,
                  i % 24, i % 60);
    std::snprintf(surveyed, sizeof surveyed, "%04d-%02d-%02d", 2000 + i % 25, 1 + i % 12, 1 + i % 28);
    const std::string tags = i % 3 == 0 ? "[\"coal\",\"open-pit\"]" : i % 3 == 1 ? "[\"gold\"]" : "[\"coal\"]";
    core::Value v[8];
    v[0] = i % 31 == 3 ? core::Value{} : core::Value{core::Value::Kind::Text, 0, 0, name};
    v[1] = {core::Value::Kind::Text, 0, 0, iso3[i % 10]};
    v[2] = i % 17 == 2 ? core::Value{} : core::Value{core::Value::Kind::Real, 0, std::round(unit(random) * 1e4) / 100, {}};
    v[3] = i % 23 == 4 ? core::Value{} : core::Value{core::Value::Kind::Integer, (i * 37) % 900, 0, {}};
    v[4] = i % 29 == 1 ? core::Value{} : core::Value{core::Value::Kind::Integer, i % 2, 0, {}};
    v[5] = i % 41 == 9 ? core::Value{} : core::Value{core::Value::Kind::Text, 0, 0, opened};
    v[6] = {core::Value::Kind::Text, 0, 0, surveyed};
    v[7] = {core::Value::Kind::Text, 0, 0, tags};
    writer->add(wkb, v);
  }
  writer->commit();
}

// Every pushed feature as one line: id, WKB in hex, the values with their kind.
struct TextSink : core::FeatureSink {
  std::string text;
  void begin(const core::Collection&) override {}
  void end() override {}
  void feature(const core::FeatureView& f) override {
    std::ostringstream out;
    out << f.id << " ";
    for (auto b : f.wkb) out << std::hex << static_cast<int>(b >> 4) << static_cast<int>(b & 15) << std::dec;
    for (const auto& v : f.values) {
      switch (v.kind) {
        case core::Value::Kind::Null: out << "|null"; break;
        case core::Value::Kind::Integer: out << "|i" << v.integer; break;
        case core::Value::Kind::Real: out << "|r" << v.real; break;
        case core::Value::Kind::Text: out << "|t" << v.text; break;
      }
    }
    text += out.str() + "\n";
  }
};

class PostgisStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!*pg_url()) return;
    gpkg_path_ = new testing::TempStorePath("pg-compare");
    gpkg_ = new store::gpkg::GpkgStore(gpkg_path_->str());
    pg_ = new store::postgis::PostgisStore(pg_url(), 4, "/tmp");
    write_sites(*gpkg_);
    write_sites(*pg_);
  }
  static void TearDownTestSuite() {
    delete pg_;
    delete gpkg_;
    delete gpkg_path_;
  }
  void SetUp() override {
    if (!*pg_url()) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set: run through tests/pg/with_postgres.sh";
  }

  // The query on both stores: the same features, in the same order, and the same counts.
  void expect_same(core::FeatureQuery q, const std::string& what) {
    SCOPED_TRACE(what);
    const auto collection = gpkg_->collection("sites");
    ASSERT_TRUE(collection);
    TextSink a, b;
    std::int64_t matched_a = -1, matched_b = -1;
    const auto na = gpkg_->features(*collection, q, a, &matched_a);
    const auto pg_collection = pg_->collection("sites");
    const auto nb = pg_->features(*pg_collection, q, b, &matched_b);
    EXPECT_EQ(na, nb);
    EXPECT_EQ(matched_a, matched_b);
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(gpkg_->count(*collection, q), pg_->count(*pg_collection, q));
  }

  static core::FeatureQuery cql2(const std::string& text, std::int64_t limit = 2000) {
    core::FeatureQuery q;
    q.collection = "sites";
    q.limit = limit;
    q.filter = std::make_shared<core::Expression>(query::parse_cql2_text(text));
    return q;
  }

  static testing::TempStorePath* gpkg_path_;
  static store::gpkg::GpkgStore* gpkg_;
  static store::postgis::PostgisStore* pg_;
};

testing::TempStorePath* PostgisStoreTest::gpkg_path_ = nullptr;
store::gpkg::GpkgStore* PostgisStoreTest::gpkg_ = nullptr;
store::postgis::PostgisStore* PostgisStoreTest::pg_ = nullptr;

TEST_F(PostgisStoreTest, PublishesTheSameMetadata) {
  const auto a = gpkg_->collection("sites");
  const auto b = pg_->collection("sites");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->feature_count, b->feature_count);
  EXPECT_EQ(b->feature_count, 1500);
  ASSERT_TRUE(a->extent && b->extent);
  EXPECT_DOUBLE_EQ(a->extent->min_x, b->extent->min_x);
  EXPECT_DOUBLE_EQ(a->extent->max_y, b->extent->max_y);
  ASSERT_TRUE(a->temporal_extent && b->temporal_extent);
  EXPECT_EQ(a->temporal_extent->start, b->temporal_extent->start);
  EXPECT_EQ(a->temporal_extent->end, b->temporal_extent->end);
  ASSERT_EQ(a->properties.size(), b->properties.size());
  for (std::size_t i = 0; i < a->properties.size(); ++i) {
    EXPECT_EQ(a->properties[i].name, b->properties[i].name);
    EXPECT_EQ(a->properties[i].type, b->properties[i].type);
  }
  EXPECT_EQ(b->updated.size(), std::string("2026-01-01T00:00:00.000Z").size());
  EXPECT_EQ(pg_->collections().size(), 1u);
  EXPECT_EQ(gpkg_->text_values(*a, "iso3", 20), pg_->text_values(*b, "iso3", 20));
  EXPECT_TRUE(pg_->text_values(*b, "name", 20).empty());  // more than 20: a name, not a category
  EXPECT_EQ(gpkg_->text_values(*a, "name", 400), pg_->text_values(*b, "name", 400));
  // What the import remembered and what the table says agree (another version of
  // the collection, as after an edit, is read from the table).
  core::Collection edited = *b;
  edited.updated = "2000-01-01T00:00:00.000Z";
  for (const char* property : {"iso3", "name", "tags"})
    for (std::size_t max : {2, 3, 20, 300, 1000})
      EXPECT_EQ(pg_->text_values(*b, property, max), pg_->text_values(edited, property, max)) << property << max;
  // With b-tree indexes the values are read along the index: the same answers.
  pg_->create_attribute_indexes(*b, {{"iso3"}, {"name"}, {"tags"}});
  for (const char* property : {"iso3", "name", "tags"})
    for (std::size_t max : {2, 3, 20, 300, 1000, 1500, 1600})
      EXPECT_EQ(gpkg_->text_values(*a, property, max), pg_->text_values(edited, property, max)) << property << max;
}

TEST_F(PostgisStoreTest, PagesAllFeaturesInIdOrderAlike) {
  for (std::int64_t offset : {0, 10, 1490, 1500, 2000}) {
    core::FeatureQuery q;
    q.collection = "sites";
    q.limit = 10;
    q.offset = offset;
    expect_same(q, "offset " + std::to_string(offset));
  }
  core::FeatureQuery keyset;  // keyset paging: fid > after, offset only the position
  keyset.collection = "sites";
  keyset.limit = 25;
  keyset.offset = 700;
  keyset.after = 700;
  expect_same(keyset, "after 700");
  keyset.bbox = core::Envelope{100, 0, 120, 20};
  expect_same(keyset, "after 700 in a bbox");
}

TEST_F(PostgisStoreTest, SortsWithNullsAndBytewiseTextAlike) {
  for (const char* key : {"name", "capacity", "workers", "active", "opened", "surveyed"}) {
    for (bool descending : {false, true}) {
      core::FeatureQuery q;
      q.collection = "sites";
      q.limit = 40;
      q.offset = 5;
      q.sortby = {{key, descending}};
      expect_same(q, std::string("sortby ") + (descending ? "-" : "") + key);
    }
  }
  core::FeatureQuery q;
  q.collection = "sites";
  q.limit = 100;
  q.sortby = {{"iso3", false}, {"capacity", true}};
  expect_same(q, "sortby iso3,-capacity");
}

TEST_F(PostgisStoreTest, FiltersByBboxDatetimeEqualityAndIdsAlike) {
  core::FeatureQuery q;
  q.collection = "sites";
  q.limit = 2000;
  q.bbox = core::Envelope{100, 0, 120, 20};
  expect_same(q, "bbox");
  q.limit = 7;
  expect_same(q, "bbox, a page");
  q.limit = 2000;
  q.bbox = core::Envelope{140, -20, 95, 50};  // across the antimeridian
  expect_same(q, "bbox across the antimeridian");
  q.bbox.reset();
  q.datetime = core::TimeInterval{"1990-01-01T00:00:00Z", "2000-12-31T23:59:59Z"};
  expect_same(q, "datetime interval");
  q.datetime = core::TimeInterval{std::nullopt, "1975-05-05T00:00:00Z"};
  expect_same(q, "datetime open start");
  q.datetime.reset();
  q.equals = {{"iso3", "KHM"}};
  expect_same(q, "iso3=KHM");
  q.equals = {{"active", "true"}, {"workers", "111"}};
  expect_same(q, "active=true&workers=111");
  q.equals.clear();
  q.ids = std::vector<std::int64_t>{5, 1, 999, 1500, 1501};
  expect_same(q, "ids");
  q.ids = std::vector<std::int64_t>{};
  expect_same(q, "no ids");
}

TEST_F(PostgisStoreTest, CompilesCql2FiltersAlike) {
  const char* filters[] = {
      "iso3 = 'IDN'",
      "capacity > 50 AND workers < 300",
      "capacity >= 10.5 OR capacity IS NULL",
      "NOT (iso3 IN ('KHM', 'LAO', 'MMR'))",
      "name LIKE 'Mine%'",
      "name LIKE 'mine%'",
      "CASEI(name) LIKE 'mine%'",
      "ACCENTI(name) LIKE 'Mo than%'",
      "CASEI(ACCENTI(name)) = 'olfeld 14'",
      "workers BETWEEN 100 AND 200",
      "active = true",
      "active = false AND capacity < 20",
      "workers + 10 > capacity * 2",
      "workers / 7 > 50",
      "workers div 7 = 50",
      "opened > TIMESTAMP('2000-01-01T00:00:00Z')",
      "surveyed = DATE('2010-11-12')",
      "T_INTERSECTS(opened, INTERVAL('1980-01-01', '1985-12-31'))",
      "T_BEFORE(surveyed, DATE('2003-01-01'))",
      "T_DURING(INTERVAL(surveyed, surveyed), INTERVAL('2010-01-01', '2012-06-30'))",
      "S_INTERSECTS(geom, BBOX(100, 0, 120, 20))",
      "S_WITHIN(geom, POLYGON((100 0, 130 0, 130 30, 100 30, 100 0)))",
      "S_CONTAINS(geom, POINT(121 10))",
      "S_DISJOINT(geom, BBOX(100, 0, 120, 20))",
      "S_CROSSES(geom, LINESTRING(90 10, 150 10))",
      "S_TOUCHES(geom, POLYGON((100 0, 130 0, 130 30, 100 30, 100 0)))",
      "S_OVERLAPS(geom, POLYGON((100 0, 130 0, 130 30, 100 30, 100 0)))",
      "S_EQUALS(geom, POINT(121 10)) OR NOT S_INTERSECTS(geom, BBOX(95, -5, 140, 40))",
      "capacity * 2 > 100 AND (workers % 7 = 3 OR workers IS NULL)",
      "name = 5",
      "A_CONTAINS(tags, ('coal'))",
      "A_OVERLAPS(tags, ('gold', 'silver'))",
      "A_EQUALS(tags, ('open-pit', 'coal'))",
      "UPPER(iso3) = 'VNM' AND LOWER(name) LIKE '%pit%'",
      "name IS NULL OR opened IS NULL",
  };
  for (const char* filter : filters) {
    expect_same(cql2(filter), filter);
    expect_same(cql2(filter, 5), std::string(filter) + ", a page of 5");
  }
}

TEST_F(PostgisStoreTest, RefusesWhatTheGeoPackageStoreRefuses) {
  const auto collection = pg_->collection("sites");
  TextSink sink;
  EXPECT_THROW(pg_->features(*collection, cql2("nosuch = 1"), sink), core::InvalidParameter);
  core::FeatureQuery q;
  q.collection = "sites";
  q.sortby = {{"nosuch", false}};
  EXPECT_THROW(pg_->features(*collection, q, sink), core::InvalidParameter);
  q.sortby.clear();
  q.equals = {{"workers", "many"}};
  EXPECT_THROW(pg_->features(*collection, q, sink), core::InvalidParameter);
  // Types PostgreSQL will not compare: a 400, never a 500.
  try {
    pg_->features(*collection, cql2("name > 5"), sink);
  } catch (const core::OgcError& e) {
    EXPECT_EQ(e.status(), 400) << e.what();
  }
}

TEST_F(PostgisStoreTest, OneFeatureByIdAlike) {
  const auto a = gpkg_->collection("sites");
  const auto b = pg_->collection("sites");
  for (std::int64_t id : {1, 8, 6, 1500}) {
    TextSink x, y;
    EXPECT_TRUE(gpkg_->feature(*a, id, x));
    EXPECT_TRUE(pg_->feature(*b, id, y));
    EXPECT_EQ(x.text, y.text);
  }
  TextSink none;
  EXPECT_FALSE(pg_->feature(*b, 1501, none));
}

TEST_F(PostgisStoreTest, StylesAndRastersRoundTrip) {
  store::StoredStyle style{"sites", "default", "Default", "abstract", "<StyledLayerDescriptor/>", ""};
  pg_->put_style(style);
  auto got = pg_->style("sites", "default");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->sld, style.sld);
  EXPECT_EQ(pg_->styles("sites").size(), 1u);
  EXPECT_TRUE(pg_->remove_style("sites", "default"));
  EXPECT_FALSE(pg_->remove_style("sites", "default"));
  style.collection = "nosuch";
  EXPECT_THROW(pg_->put_style(style), core::NotFound);
  store::RasterLayer raster{"geoid", "Geoid", "", "", "", "rasters/geoid.tif", -50, 80, {90, -12, 150, 45}, {}, "VNM"};
  pg_->put_raster(raster);
  const auto r = pg_->raster("geoid");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path, "/tmp/rasters/geoid.tif");
  EXPECT_EQ(r->country, "VNM");
  // A new grid only while the grid is still the one it was based on.
  auto replaced = raster;
  replaced.path = "rasters/geoid.v0123456789abcdef.tif";
  replaced.min = -40;
  replaced.bands = {{"N", "m", "", "Float32", std::nullopt, -40, 70}};
  EXPECT_FALSE(pg_->replace_grid(replaced, "other.tif"));
  EXPECT_EQ(pg_->raster("geoid")->path, "/tmp/rasters/geoid.tif");
  EXPECT_TRUE(pg_->replace_grid(replaced, "geoid.tif"));
  EXPECT_FALSE(pg_->replace_grid(replaced, "geoid.tif"));  // the second approval based on geoid.tif
  const auto after = pg_->raster("geoid");
  EXPECT_EQ(after->path, "/tmp/rasters/geoid.v0123456789abcdef.tif");
  EXPECT_EQ(after->min, -40);
  EXPECT_EQ(after->country, "VNM");
  ASSERT_EQ(after->bands.size(), 1u);
  EXPECT_EQ(after->bands[0].name, "N");
  EXPECT_FALSE(pg_->replace_grid(replaced, "nosuch.tif"));
  raster.id = "sites";
  EXPECT_THROW(pg_->put_raster(raster), core::InvalidParameter);
}

TEST_F(PostgisStoreTest, AnUncommittedImportLeavesTheCollectionAsItWas) {
  {
    auto writer = pg_->replace_collection(sites_collection());
    core::Value v[8];
    writer->add(testing::wkb_from_wkt("POINT (1 2)"), v);
  }  // no commit
  EXPECT_EQ(pg_->collection("sites")->feature_count, 1500);
  TextSink sink;
  core::FeatureQuery q;
  q.collection = "sites";
  q.limit = 1;
  EXPECT_EQ(pg_->features(*pg_->collection("sites"), q, sink), 1);
  core::Collection bad = sites_collection();
  bad.id = "amis_collections";
  EXPECT_THROW(pg_->replace_collection(bad), core::InvalidParameter);
}

TEST_F(PostgisStoreTest, RemovesACollectionAndItsTable) {
  core::Collection other = sites_collection();
  other.id = "other";
  auto writer = pg_->replace_collection(other);
  writer->commit();
  EXPECT_TRUE(pg_->collection("other"));
  pg_->remove_collection("other");
  EXPECT_FALSE(pg_->collection("other"));
  EXPECT_THROW(pg_->remove_collection("other"), core::NotFound);
}

// A sink that raises the request's "client gone" flag after some features, as
// the HTTP layer does when the socket closes mid-response.
struct LeavingSink : core::FeatureSink {
  std::shared_ptr<std::atomic<bool>> gone;
  int seen = 0;
  void begin(const core::Collection&) override {}
  void end() override {}
  void feature(const core::FeatureView&) override {
    if (++seen == 3) gone->store(true);
  }
};

TEST_F(PostgisStoreTest, AClientThatLeavesCancelsItsQueryAndTheConnectionIsReused) {
  const auto collection = pg_->collection("sites");
  auto gone = std::make_shared<std::atomic<bool>>(false);
  LeavingSink sink;
  sink.gone = gone;
  core::FeatureQuery q;
  q.collection = "sites";
  q.limit = 1500;
  {
    core::RequestBudget budget(core::RequestBudget::Clock::now() + std::chrono::seconds(30), 30, gone);
    EXPECT_THROW(pg_->features(*collection, q, sink), core::ClientDisconnected);
  }
  EXPECT_EQ(sink.seen, 3);  // stopped at once, not after the whole result
  // A statement the server is still computing is cancelled too (PQcancel): a
  // deadline that passes during pg_sleep ends it long before the 5 s.
  const auto start = std::chrono::steady_clock::now();
  {
    core::RequestBudget budget(core::RequestBudget::Clock::now() + std::chrono::milliseconds(200), 1, nullptr);
    auto db = pg_->pool().acquire();
    EXPECT_THROW(db->exec("SELECT pg_sleep(5)"), core::DeadlineExceeded);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  TextSink after;
  EXPECT_EQ(pg_->features(*collection, q, after), 1500);  // every pooled connection still works
  EXPECT_LE(pg_->pool().stats().open, 4u);
}

TEST_F(PostgisStoreTest, ANodesConnectionsPlanWithoutJitOrParallelWorkers) {
  // The server's defaults are jit = on and 2 workers per gather; a node's sessions override them.
  store::postgis::Connection admin(pg_url());
  ASSERT_EQ(admin.exec("SHOW jit").text(0, 0), "on");
  auto db = pg_->pool().acquire();
  EXPECT_EQ(db->exec("SHOW jit").text(0, 0), "off");
  EXPECT_EQ(db->exec("SHOW max_parallel_workers_per_gather").text(0, 0), "0");
}

// A node or command opening a store whose schema is this build's reads one row and
// takes no lock: another session holding the bootstrap's advisory lock and an
// exclusive lock on a table (a long migration, a serving node's DDL) does not hold
// it up. The bootstrap used to run its DDL at every open, which queued behind (or
// deadlocked with) the requests of the nodes already serving.
TEST_F(PostgisStoreTest, OpeningACurrentStoreTakesNoLock) {
  store::postgis::Connection other(pg_url());
  EXPECT_EQ(other.exec("SELECT digest FROM amis_schema_state").text(0, 0), store::postgis::schema_digest());
  other.exec("BEGIN");
  other.exec("SELECT pg_advisory_xact_lock(4242014)");
  other.exec("LOCK TABLE amis_rasters, amis_collections IN ACCESS EXCLUSIVE MODE");
  auto opened = std::async(std::launch::async, [] { store::postgis::PostgisStore again(pg_url(), 1, "/tmp"); });
  const bool in_time = opened.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  other.exec("ROLLBACK");  // lets a blocked open finish before the test ends
  opened.get();
  EXPECT_TRUE(in_time) << "opening a current store waited for another session's locks";
}

// A store an older build made (another digest) is brought up to date when opened.
TEST_F(PostgisStoreTest, AnOlderSchemaDigestRunsTheBootstrap) {
  store::postgis::Connection admin(pg_url());
  admin.exec("UPDATE amis_schema_state SET digest = 'older'");
  admin.exec("DROP FUNCTION amis_pow(double precision, double precision)");
  { store::postgis::PostgisStore again(pg_url(), 1, "/tmp"); }
  EXPECT_EQ(admin.exec("SELECT amis_pow(2, 10)").real(0, 0), 1024);
  EXPECT_EQ(admin.exec("SELECT digest FROM amis_schema_state").text(0, 0), store::postgis::schema_digest());
  EXPECT_EQ(admin.exec("SELECT count(*) FROM amis_schema_state").integer(0, 0), 1);
}

TEST_F(PostgisStoreTest, AFullPoolAnswersBusyWithinTheDeadline) {
  store::postgis::Pool pool(pg_url(), 1);
  auto held = pool.acquire();
  core::RequestBudget budget(core::RequestBudget::Clock::now() + std::chrono::milliseconds(300), 1, nullptr);
  try {
    pool.acquire();
    FAIL() << "a second connection from a pool of one";
  } catch (const core::OgcError& e) {
    EXPECT_EQ(e.status(), 503);  // ServiceBusy, or the deadline itself: both ask the client to come back
  }
}

TEST_F(PostgisStoreTest, ALostConnectionIsReplacedAndAnInFlightLossIsA503) {
  const auto collection = pg_->collection("sites");
  core::FeatureQuery q;
  q.collection = "sites";
  q.limit = 5;
  TextSink first;
  pg_->features(*collection, q, first);
  // The server ends every AMIS connection (a restart, a failover).
  store::postgis::Connection admin(pg_url());
  admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'amis' AND pid <> "
             "pg_backend_pid()");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  TextSink again;
  EXPECT_EQ(pg_->features(*collection, q, again), 5);  // idle connections noticed and replaced
  EXPECT_EQ(first.text, again.text);
  // A connection lost while lent: the statement fails as StoreUnavailable (503, Retry-After).
  auto db = pg_->pool().acquire();
  admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'amis' AND pid <> "
             "pg_backend_pid()");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  try {
    db->exec("SELECT 1");
    FAIL() << "a statement on a terminated connection";
  } catch (const core::StoreUnavailable& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_GT(e.retry_after_seconds(), 0);
  }
}

TEST(PostgisConnection, AWrongPasswordIsOneLineWithoutThePassword) {
  const char* tcp = std::getenv("AMIS_TEST_PG_TCP_URL");
  if (!tcp) GTEST_SKIP() << "run through tests/pg/with_postgres.sh";
  std::string url = tcp;
  url.replace(url.find("amis-test"), 9, "wrong-secret");
  try {
    store::StoreLocation where;
    where.location = url;
    where.pool_size = 2;
    where.data_dir = "/tmp";
    store::open_features(where);
    FAIL() << "connected with a wrong password";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
    EXPECT_EQ(message.find("wrong-secret"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_EQ(store::postgis::redacted_url("postgresql://u:secret@h:5432/db?sslmode=require"),
            "postgresql://u@h:5432/db");
}

}  // namespace
}  // namespace amis
