// The PostGIS catalogue against a real PostgreSQL (tests/pg/with_postgres.sh
// starts one and gives AMIS_TEST_PG_URL): the same records in the GeoPackage
// catalogue and in the PostGIS catalogue must give the same answers — ids in
// the same order, counts, facets, records — for every query below. The
// GeoPackage catalogue is the reference; where the two rank differently by
// design (bm25 and ts_rank), the ranking scenario is worked out by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <random>

#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "query/cql2.hpp"
#include "store/gpkg/gpkg_catalog.hpp"
#include "store/postgis/pg_catalog.hpp"
#include "store/postgis/pg_record_writer.hpp"
#include "store/postgis/postgis_store.hpp"
#include "../unit/test_support.hpp"

namespace amis {
namespace {

using V = std::vector<std::string>;

const char* pg_url() {
  const char* url = std::getenv("AMIS_TEST_PG_URL");
  return url ? url : "";
}

struct Collect : store::RecordSink {
  V ids;
  void record(const catalog::Record& r) override { ids.push_back(r.id); }
};

// 2,000 records from a fixed seed: words that stem alike in Porter and
// Snowball (mine, mines, mining, mined), no stop words in what is searched,
// extents and temporal extents open at either end or missing, nulls in every
// optional queryable, the same `updated` on both stores.
std::vector<catalog::Record> generated_records() {
  std::mt19937 random(20261205);
  const char* minerals[] = {"Gold", "Coal", "Nickel", "Copper", "Tin", "Bauxite", "Limestone", "Gypsum", "Cobalt"};
  const char* nouns[] = {"deposits", "mines", "occurrences", "quarries", "prospects", "survey", "licences"};
  const char* verbs[] = {"Mapped", "Mining", "Surveyed", "Recorded", "Drilled"};
  const char* countries[] = {"IDN", "PHL", "VNM", "KHM", "MMR", "THA", "LAO", "MYS", ""};
  const char* types[] = {"dataset", "dataset", "dataset", "series", "service", "document", "map"};
  const char* formats[] = {"GeoJSON", "GeoPackage", "Shapefile", "PNG", "CSV"};
  const char* topics[] = {"geoscientificInformation", "economy", "environment", "boundaries"};
  std::uniform_real_distribution<double> lon(-179, 170), lat(-80, 70), size(0.01, 9);
  std::vector<catalog::Record> out;
  for (int i = 0; i < 2000; ++i) {
    catalog::Record r;
    char id[32];
    std::snprintf(id, sizeof id, "rec-%04d", (i * 7919) % 2000);
    r.id = id;
    const char* mineral = minerals[random() % 9];
    r.title = std::string(mineral) + " " + nouns[random() % 7] + " " + std::to_string(i % 97);
    r.abstract = std::string(verbs[random() % 5]) + " " + minerals[random() % 9] + " " + nouns[random() % 7] +
                 (i % 5 == 0 ? ", lateritic ore bodies" : "") + (i % 11 == 0 ? "; O'Brien collection" : "");
    r.type = types[random() % 7];
    r.keywords = {{{mineral, nouns[random() % 7]}, "", "", ""}};
    if (i % 3 == 0) r.keywords.push_back({{"Mineral resources"}, "GEMET - INSPIRE themes", "http://x/theme", "theme"});
    r.topic_categories = {topics[random() % 4]};
    r.country = countries[random() % 9];
    r.language = i % 4 == 0 ? "fre" : "eng";
    if (i % 6 != 0) r.licence = i % 2 ? "CC-BY-4.0" : "ODbL-1.0";
    if (i % 13 != 0) {
      const double x = lon(random), y = lat(random);
      r.extent = core::Envelope{x, y, std::min(180.0, x + size(random)), std::min(90.0, y + size(random))};
    }
    const int year = 1950 + static_cast<int>(random() % 70);
    char start[32], end[32];
    std::snprintf(start, sizeof start, "%04d-%02d-01", year, 1 + i % 12);
    std::snprintf(end, sizeof end, "%04d-12-31T12:00:00Z", year + static_cast<int>(random() % 20));
    switch (i % 5) {
      case 0: r.temporal_extent = core::TimeInterval{start, end}; break;
      case 1: r.temporal_extent = core::TimeInterval{start, std::nullopt}; break;
      case 2: r.temporal_extent = core::TimeInterval{std::nullopt, end}; break;
      case 3: r.temporal_extent = core::TimeInterval{start, start}; break;
      default: break;  // none
    }
    r.links = {{"https://x/" + r.id, "item", "application/json", "", "", "", formats[random() % 5]}};
    if (i % 4 == 1) r.links.push_back({"https://x/wms", "service", "image/png", "OGC:WMS", r.id, "", "PNG"});
    if (i % 7 == 0) r.external_ids = {{"https://doi.org", "10.5/" + std::to_string(i)}};
    if (i % 9 != 0) r.feature_count = static_cast<std::int64_t>(random() % 5000);
    if (i % 8 != 0) r.created = std::to_string(1990 + i % 30) + "-06-15";
    char updated[32];
    std::snprintf(updated, sizeof updated, "2026-%02d-%02dT08:00:00.000Z", 1 + i % 12, 1 + i % 28);
    r.updated = updated;
    if (i % 10 == 0) r.parent_id = "series-1";
    out.push_back(std::move(r));
  }
  return out;
}

class PgCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!*pg_url()) return;
    gpkg_path_ = new testing::TempStorePath("pg-catalog");
    gpkg_ = new store::gpkg::GpkgCatalog(gpkg_path_->str());
    pg_store_ = new store::postgis::PostgisStore(pg_url(), 4, "/tmp");
    pg_ = new store::postgis::PostgisCatalog(pg_store_->pool());
    const auto records = generated_records();
    for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(gpkg_), static_cast<store::CatalogStore*>(pg_)}) {
      auto w = c->writer();
      for (const auto& r : records) w->put(r);
      w->commit();
    }
  }
  static void TearDownTestSuite() {
    delete pg_;
    delete pg_store_;
    delete gpkg_;
    delete gpkg_path_;
  }
  void SetUp() override {
    if (!*pg_url()) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set: run through tests/pg/with_postgres.sh";
  }

  // The query on both catalogues: the same ids in the same order (or the same
  // set, for a ranking the two compute differently), counts and facets.
  static V expect_same(const catalog::CatalogQuery& q, const std::string& what, bool same_order = true) {
    SCOPED_TRACE(what);
    Collect a, b;
    const auto sa = gpkg_->search(q, a);
    const auto sb = pg_->search(q, b);
    if (!same_order) {
      std::ranges::sort(a.ids);
      std::ranges::sort(b.ids);
    }
    EXPECT_EQ(a.ids, b.ids);
    EXPECT_EQ(sa.returned, sb.returned);
    EXPECT_EQ(sa.matched, sb.matched);
    EXPECT_EQ(sa.facets.size(), sb.facets.size());
    for (std::size_t i = 0; i < std::min(sa.facets.size(), sb.facets.size()); ++i) {
      EXPECT_EQ(sa.facets[i].field, sb.facets[i].field);
      EXPECT_EQ(sa.facets[i].buckets.size(), sb.facets[i].buckets.size()) << catalog::to_string(sa.facets[i].field);
      if (sa.facets[i].buckets.size() != sb.facets[i].buckets.size()) continue;
      for (std::size_t j = 0; j < sa.facets[i].buckets.size(); ++j) {
        EXPECT_EQ(sa.facets[i].buckets[j].value, sb.facets[i].buckets[j].value);
        EXPECT_EQ(sa.facets[i].buckets[j].count, sb.facets[i].buckets[j].count);
      }
    }
    return a.ids;
  }

  static catalog::CatalogQuery filtered(const std::string& cql2) {
    catalog::CatalogQuery q;
    q.limit = std::nullopt;
    q.filter = std::make_shared<core::Expression>(query::parse_cql2_text(cql2));
    return q;
  }

  static inline testing::TempStorePath* gpkg_path_ = nullptr;
  static inline store::gpkg::GpkgCatalog* gpkg_ = nullptr;
  static inline store::postgis::PostgisStore* pg_store_ = nullptr;
  static inline store::postgis::PostgisCatalog* pg_ = nullptr;
};

TEST_F(PgCatalogTest, PagesEveryRecordInIdOrderAlike) {
  catalog::CatalogQuery q;
  EXPECT_EQ(gpkg_->size(), 2000);
  EXPECT_EQ(pg_->size(), 2000);
  EXPECT_EQ(expect_same(q, "first page").size(), 10u);
  q.limit = 25;
  q.offset = 1990;
  EXPECT_EQ(expect_same(q, "last page").size(), 10u);
  q.offset = 5000;
  expect_same(q, "past the end");
  q.limit = std::nullopt;
  q.offset = 0;
  EXPECT_EQ(expect_same(q, "uncapped").size(), 2000u);
  q.limit = 0;
  expect_same(q, "limit 0 counts");
}

TEST_F(PgCatalogTest, ReadsTheSameRecords) {
  for (const char* id : {"rec-0000", "rec-0007", "rec-1999"}) {
    const auto a = gpkg_->record(id), b = pg_->record(id);
    ASSERT_TRUE(a && b) << id;
    EXPECT_EQ(catalog::to_json(*a), catalog::to_json(*b)) << id;
  }
  EXPECT_FALSE(pg_->record("none"));
}

TEST_F(PgCatalogTest, FullTextMatchesTheSameRecords) {
  catalog::CatalogQuery q;
  q.limit = std::nullopt;
  for (V terms : {V{"mines"}, V{"mining"}, V{"gold"}, V{"nickel", "cobalt"}, V{"gold deposits"}, V{"lateritic"},
                  V{"O'Brien"}, V{"Mineral resources"}, V{"economy"}, V{"copper licences"}}) {
    q.q = terms;
    q.sortby = {};
    const auto ranked = expect_same(q, "q=" + terms[0], false);
    EXPECT_FALSE(ranked.empty()) << terms[0];
    q.sortby = {{"title", false}};
    expect_same(q, "q=" + terms[0] + " by title");
  }
  for (const char* hostile : {"\"", "a OR b NOT", "NEAR(", "*", "title:gold", "'; DROP TABLE amis_records; --",
                              "gold & !coal", "<->", "\\"}) {
    q.q = {hostile};
    EXPECT_NO_THROW(expect_same(q, hostile, false)) << hostile;
  }
  q.q = {"  ", "--"};
  EXPECT_TRUE(expect_same(q, "nothing to search").empty());
  EXPECT_EQ(pg_->size(), 2000);
}

// Hand-worked: a term in the title ranks above one in the keywords, above one
// in the abstract, above one only in the other text (lineage), on both stores.
TEST_F(PgCatalogTest, RanksTitleAboveKeywordsAboveAbstractAboveTheRest) {
  testing::TempStorePath path("pg-catalog-rank");
  store::gpkg::GpkgCatalog gpkg(path.str());
  auto make = [](const std::string& id) {
    catalog::Record r;
    r.id = id;
    r.title = "Survey " + id;
    r.abstract = "Field notes";
    r.updated = "2026-01-01T00:00:00.000Z";
    return r;
  };
  auto title = make("zz-title"), keywords = make("yy-keywords"), abstract = make("xx-abstract"),
       other = make("ww-other");
  title.title = "Wolframite survey";
  keywords.keywords = {{{"wolframite"}, "", "", ""}};
  abstract.abstract = "Field notes on wolframite veins";
  other.lineage = "Digitised from the wolframite atlas";
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(&gpkg), static_cast<store::CatalogStore*>(pg_)}) {
    for (const auto& r : {other, abstract, keywords, title}) c->put(r);
    catalog::CatalogQuery q;
    q.q = {"wolframite"};
    Collect got;
    c->search(q, got);
    EXPECT_EQ(got.ids, (V{"zz-title", "yy-keywords", "xx-abstract", "ww-other"}));
  }
  for (const char* id : {"zz-title", "yy-keywords", "xx-abstract", "ww-other"}) EXPECT_TRUE(pg_->remove(id));
}

TEST_F(PgCatalogTest, BboxDatetimeTypeIdsExternalIdsAlike) {
  catalog::CatalogQuery q;
  q.limit = std::nullopt;
  for (core::Envelope box : {core::Envelope{100, -10, 130, 20}, core::Envelope{-180, -90, 180, 90},
                             core::Envelope{170, -30, -170, 30}, core::Envelope{0, 0, 0, 0}}) {
    q.bbox = box;
    expect_same(q, "bbox " + std::to_string(box.min_x) + " " + std::to_string(box.max_x));
  }
  q = {};
  q.limit = std::nullopt;
  for (const char* t : {"2005-01-01/2005-12-31", "1980-01-01/1990-04-30", "2010-12-31", "../1960-01-01",
                        "2015-06-01T00:00:00Z/..", "1975-03-01T10:00:00+07:00"}) {
    q.datetime = core::parse_datetime_parameter(t);
    expect_same(q, std::string("datetime ") + t);
  }
  q = {};
  q.limit = std::nullopt;
  q.types = {"series", "map"};
  expect_same(q, "types");
  q = {};
  q.ids = {"rec-0001", "rec-1500", "rec-0042", "none"};
  EXPECT_EQ(expect_same(q, "ids"), (V{"rec-0001", "rec-0042", "rec-1500"}));
  q = {};
  q.external_ids = {"10.5/70", "https://doi.org:10.5/140"};
  EXPECT_EQ(expect_same(q, "external ids").size(), 2u);
}

TEST_F(PgCatalogTest, QWithBboxAndDatetimeAlike) {
  catalog::CatalogQuery q;
  q.q = {"mine", "deposits"};
  q.bbox = core::Envelope{90, -15, 150, 30};
  q.datetime = core::parse_datetime_parameter("1990-01-01/2000-12-31");
  q.limit = 20;
  q.sortby = {{"updated", true}};
  q.facets = {catalog::FacetField::Country, catalog::FacetField::Keyword};
  expect_same(q, "q+bbox+datetime, by updated");
  q.sortby = {};
  q.limit = std::nullopt;
  expect_same(q, "q+bbox+datetime, ranked", false);
}

TEST_F(PgCatalogTest, CompilesTheSameFilters) {
  for (const char* cql2 :
       {"country IN ('IDN','PHL') AND title LIKE '%e%'", "A_CONTAINS(keywords, ('mines'))",
        "S_INTERSECTS(geometry, POINT(120 10))", "S_INTERSECTS(geometry, BBOX(100, -5, 125, 15))",
        "S_WITHIN(geometry, POLYGON((90 -20, 150 -20, 150 40, 90 40, 90 -20)))", "featureCount > 2500",
        "featureCount IS NULL", "country IS NULL OR language = 'fre'", "NOT (type = 'dataset')",
        "updated >= TIMESTAMP('2026-06-01T00:00:00Z')", "created < DATE('2000-01-01')",
        "T_INTERSECTS(datetime, INTERVAL('1990-01-01', '1991-12-31'))", "T_BEFORE(datetime, DATE('1960-01-01'))",
        "license = 'CC-BY-4.0' AND parent = 'series-1'", "title > 'Gold' AND title < 'Nickel'",
        "keywords LIKE '%Mineral%'", "id BETWEEN 'rec-0100' AND 'rec-0200'"}) {
    expect_same(filtered(cql2), cql2);
  }
  expect_same(filtered("description > 3"), "text against a number");
  auto q = filtered("colour = 'red'");
  Collect a, b;
  EXPECT_THROW(gpkg_->search(q, a), core::InvalidParameter);
  EXPECT_THROW(pg_->search(q, b), core::InvalidParameter);
  // A text that is no integer for an integer queryable: the GeoPackage store
  // compares it as SQLite does (nothing matches), PostgreSQL refuses it: a 400.
  q = filtered("featureCount = 'many'");
  EXPECT_TRUE(gpkg_->search(q, a).returned == 0);
  try {
    pg_->search(q, b);
  } catch (const core::OgcError& e) {
    EXPECT_EQ(e.status(), 400) << e.what();
  }
}

TEST_F(PgCatalogTest, SortsWithNullsAlike) {
  catalog::CatalogQuery q;
  q.limit = std::nullopt;
  for (std::vector<core::SortKey> keys :
       {std::vector<core::SortKey>{{"title", false}}, {{"title", true}}, {{"country", false}, {"featureCount", true}},
        {{"created", false}}, {{"created", true}}, {{"license", true}, {"updated", false}}, {{"language", false}}}) {
    q.sortby = keys;
    expect_same(q, "sortby " + keys[0].property);
  }
  q.sortby = {{"description", false}};
  Collect c;
  EXPECT_THROW(pg_->search(q, c), core::InvalidParameter);
  q = {};
  q.offset = -1;
  EXPECT_THROW(pg_->search(q, c), core::InvalidParameter);
}

TEST_F(PgCatalogTest, CountsTheSameFacets) {
  catalog::CatalogQuery q;
  q.limit = 5;
  q.facets = {catalog::kFacetFields[0], catalog::kFacetFields[1], catalog::kFacetFields[2], catalog::kFacetFields[3],
              catalog::kFacetFields[4]};
  expect_same(q, "every facet over everything");
  q.facet_buckets = 3;
  q.q = {"gold"};
  q.sortby = {{"id", false}};
  expect_same(q, "facets of a search, 3 buckets");
  q.q = {};
  q.filter = std::make_shared<core::Expression>(query::parse_cql2_text("country = 'VNM'"));
  expect_same(q, "facets of a filter");
}

// Both stores read words alike: no stop words, English stems (Porter2), accents
// removed, every ASCII character that is not a letter or digit a separator; the
// same ids for every term, and the ids worked out by hand.
TEST_F(PgCatalogTest, FullTextTokenisesAlike) {
  testing::TempStorePath path("pg-catalog-words");
  store::gpkg::GpkgCatalog gpkg(path.str());
  auto make = [](const std::string& id, const std::string& title, const std::string& abstract) {
    catalog::Record r;
    r.id = id;
    r.title = title;
    r.abstract = abstract;
    r.updated = "2026-01-01T00:00:00.000Z";
    return r;
  };
  const std::vector<catalog::Record> records = {
      make("tw-1", "The geology of the Lao-Cai copper belt", "Mapped by the U.S. Geological Survey, 1:250000"),
      make("tw-2", "Việt Nam mineral deposits", "Dépôts minéraux; gold_bearing veins (e-mail: info@dgmv.gov.vn)"),
      make("tw-3", "Mines and mining", "See http://example.org/maps/mining.html and O'Brien's notes, 2nd ed."),
      make("tw-4", "Coal", "Coal-bed methane of Kalimantan: 3.5 Mt/a; ISO-19115 metadata")};
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(&gpkg), static_cast<store::CatalogStore*>(pg_)})
    for (const auto& r : records) c->put(r);
  const std::vector<std::pair<std::string, V>> expected = {
      {"the", {"tw-1"}},        {"of", {"tw-1", "tw-4"}},  {"and", {"tw-3"}},     {"mine", {"tw-3"}},
      {"mines", {"tw-3"}},      {"deposit", {"tw-2"}},            {"viet", {"tw-2"}},    {"VIỆT", {"tw-2"}},
      {"depots", {"tw-2"}},     {"minéraux", {"tw-2"}},     {"lao", {"tw-1"}},     {"Lao-Cai", {"tw-1"}},
      {"cai", {"tw-1"}},        {"u.s.", {"tw-1"}},         {"250000", {"tw-1"}},  {"gold", {"tw-2"}},
      {"bearing", {"tw-2"}},    {"dgmv", {"tw-2"}},         {"example", {"tw-3"}}, {"http", {"tw-3"}},
      {"html", {"tw-3"}},       {"brien", {"tw-3"}},        {"O'Brien", {"tw-3"}}, {"2nd", {"tw-3"}},
      {"5", {"tw-4"}},          {"methane", {"tw-4"}},      {"19115", {"tw-4"}},   {"coal-bed", {"tw-4"}},
      {"mined", {"tw-3"}},      {"geologically", {"tw-1"}}, {"veined", {"tw-2"}},  {"examples", {"tw-3"}},
      {"belts", {"tw-1"}},      {"golden", {}},             {"surveys", {"tw-1"}}, {"note", {"tw-3"}}};
  for (const auto& [term, ids] : expected) {
    catalog::CatalogQuery q;
    q.q = {term};
    q.sortby = {{"id", false}};
    q.ids = {"tw-1", "tw-2", "tw-3", "tw-4"};
    q.limit = std::nullopt;
    Collect a, b;
    gpkg.search(q, a);
    pg_->search(q, b);
    EXPECT_EQ(a.ids, ids) << "GeoPackage, q=" << term;
    EXPECT_EQ(b.ids, ids) << "PostGIS, q=" << term;
  }
  for (const auto& r : records) EXPECT_TRUE(pg_->remove(r.id));
}

// A catalogue of the earlier full text (a tsvector of the words themselves, full
// text version 0) gets the stems of its records when a store starts on it.
TEST_F(PgCatalogTest, AnOlderFullTextGetsItsStemsOnStart) {
  catalog::Record r;
  r.id = "ft-old";
  r.title = "Gold deposits";
  r.abstract = "Gold mining sites";
  r.updated = "2026-01-01T00:00:00.000Z";
  pg_->put(r);
  {
    auto c = pg_store_->pool().acquire();
    c->exec("UPDATE amis_records SET stem_title = title, stem_description = description WHERE id = 'ft-old'");
    c->exec("UPDATE amis_catalog_state SET full_text_version = 0");
    c->exec("DELETE FROM amis_schema_state");  // an older build's store has an older schema digest
  }
  auto found = [&](const char* term) {
    catalog::CatalogQuery q;
    q.q = {term};
    q.ids = {"ft-old"};
    Collect c;
    pg_->search(q, c);
    return c.ids;
  };
  EXPECT_EQ(found("gold"), V{"ft-old"});  // a word that is its own stem
  EXPECT_EQ(found("deposits"), V{});     // "deposit" is not in the words themselves
  const std::string tag = pg_->records_tag();
  { store::postgis::PostgisStore restarted(pg_url(), 1, "/tmp"); }
  EXPECT_NE(pg_->records_tag(), tag);  // the q= pages changed: their ETags too
  for (const char* term : {"deposit", "deposits", "mine", "mined", "site"}) EXPECT_EQ(found(term), V{"ft-old"}) << term;
  EXPECT_EQ(pg_store_->pool().acquire()->exec("SELECT full_text_version FROM amis_catalog_state").integer(0, 0), 1);
  EXPECT_TRUE(pg_->remove("ft-old"));
}

// The records' tag (the Records pages' ETags) on both stores: another after every write
// (put, remove, a writer's commit), the same when nothing was written.
TEST_F(PgCatalogTest, RecordsTagsChangeWithEveryWriteAlike) {
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(gpkg_), static_cast<store::CatalogStore*>(pg_)}) {
    catalog::Record r;
    r.id = "tag-probe";
    r.title = "Probe";
    r.updated = "2026-01-01T00:00:00.000Z";
    const std::string before = c->records_tag();
    c->put(r);
    const std::string put = c->records_tag();
    EXPECT_NE(put, before);
    r.title = "Probe again";
    auto w = c->writer();
    w->put(r);
    w->commit();
    const std::string committed = c->records_tag();
    EXPECT_NE(committed, put);
    EXPECT_TRUE(c->remove("tag-probe"));
    EXPECT_NE(c->records_tag(), committed);
    const std::string now = c->records_tag();
    EXPECT_FALSE(c->remove("tag-probe"));
    EXPECT_EQ(c->records_tag(), now);
  }
}

// AnyText on both stores against a substring search done here over the records.
TEST_F(PgCatalogTest, AnyTextFindsTheSameSubstrings) {
  const auto records = generated_records();
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const char* word : {"gold", "OLD", "ickel", "ateritic", "brien", "ines", "in", "mineral res", "conomy", "zzq",
                           "19", "o'b", "scientific"}) {
    catalog::CatalogQuery q;
    q.any_text = {word};
    q.limit = std::nullopt;
    V expected;
    for (const auto& r : records) {
      std::string text = r.title + "\n" + r.abstract;
      for (const auto& k : r.all_keywords()) text += "\n" + k;
      for (const auto& t : r.topic_categories) text += "\n" + t;
      if (lower(text).find(lower(word)) != std::string::npos) expected.push_back(r.id);
    }
    std::ranges::sort(expected);
    EXPECT_EQ(expect_same(q, std::string("AnyText ") + word), expected) << word;
  }
  catalog::CatalogQuery q;
  q.any_text = {"gold", "ines"};
  q.limit = 3;
  q.facets = {catalog::FacetField::Country, catalog::FacetField::Keyword};
  expect_same(q, "AnyText of two words, a page and facets");
}

// A sink that stops the search after `n` records (a client that went away).
struct StopAfter : store::RecordSink {
  struct Gone {};
  int left;
  explicit StopAfter(int n) : left(n) {}
  void record(const catalog::Record&) override {
    if (--left == 0) throw Gone{};
  }
};

TEST_F(PgCatalogTest, AStoppedStreamLeavesThePoolUsable) {
  catalog::CatalogQuery q;
  q.limit = std::nullopt;
  for (int i = 0; i < 6; ++i) {  // more than the pool's 4 connections
    StopAfter stop(3);
    EXPECT_THROW(pg_->search(q, stop), StopAfter::Gone);
  }
  EXPECT_EQ(expect_same(q, "after the stopped streams").size(), 2000u);
}

TEST_F(PgCatalogTest, WritersCommitAllOrNothingAlike) {
  auto make = [](const std::string& id, const std::string& title) {
    catalog::Record r;
    r.id = id;
    r.title = title;
    r.extent = core::Envelope{1, 2, 3, 4};
    return r;
  };
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(gpkg_), static_cast<store::CatalogStore*>(pg_)}) {
    {
      auto w = c->writer();
      w->put(make("w-1", "Tab\there, new\nline and back\\slash"));
    }
    EXPECT_FALSE(c->record("w-1"));
    auto w = c->writer();
    w->put(make("w-1", "first"));
    w->put(make("w-2", "Tab\there, new\nline and back\\slash"));
    w->put(make("w-1", "second"));  // the last put wins
    EXPECT_TRUE(w->remove("w-2"));  // a staged record
    EXPECT_FALSE(w->remove("w-none"));
    w->put(make("w-2", "again"));
    catalog::Record bad = make("w-3", "");
    EXPECT_THROW(w->put(bad), core::InvalidValue);
    w->commit();
    w.reset();
    EXPECT_EQ(c->record("w-1")->title, "second");
    EXPECT_EQ(c->record("w-2")->title, "again");
    EXPECT_FALSE(c->record("w-1")->updated.empty());
    c->put(make("w-2", "Tab\there, new\nline and back\\slash"));
    EXPECT_EQ(c->record("w-2")->title, "Tab\there, new\nline and back\\slash");
  }
  catalog::CatalogQuery q;
  q.ids = {"w-1", "w-2"};
  q.facets = {catalog::FacetField::Type};
  expect_same(q, "written records and their terms");
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(gpkg_), static_cast<store::CatalogStore*>(pg_)}) {
    EXPECT_TRUE(c->remove("w-1"));
    EXPECT_TRUE(c->remove("w-2"));
    EXPECT_FALSE(c->remove("w-2"));
  }
  q.ids = {};
  q.facets = {catalog::FacetField::Type};
  expect_same(q, "terms removed with their records");
}

// A writer publishes its staged rows every PgRecordWriter::kPublishRows within its
// transaction: across those steps the last put of an id still wins (its facet terms
// too), and a writer dropped before commit still leaves nothing.
TEST_F(PgCatalogTest, WritersOfManyRecordsAreStillOneTransactionAlike) {
  const std::size_t n = 2 * store::postgis::PgRecordWriter::kPublishRows + 100;
  auto make = [](std::size_t i, const std::string& keyword) {
    catalog::Record r;
    char id[32];
    std::snprintf(id, sizeof id, "bulk-%05zu", i);
    r.id = id;
    r.title = "Bulk " + keyword + " " + std::to_string(i);
    r.keywords = {{{keyword}, "", "", ""}};
    r.updated = "2026-12-07T00:00:00.000Z";
    return r;
  };
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(gpkg_), static_cast<store::CatalogStore*>(pg_)}) {
    {
      auto abandoned = c->writer();
      for (std::size_t i = 0; i < n; ++i) abandoned->put(make(i, "Abandoned"));
    }
    EXPECT_EQ(c->size(), 2000);
    auto w = c->writer();
    for (std::size_t i = 0; i < n; ++i) w->put(make(i, i % 2 ? "Antimony" : "Zircon"));
    for (std::size_t i = 0; i < n; i += 3) w->put(make(i, "Tungsten"));  // again, after later steps
    w->commit();
    EXPECT_EQ(c->size(), static_cast<std::int64_t>(2000 + n));
    EXPECT_EQ(c->record("bulk-00000")->keywords.at(0).keywords, std::vector<std::string>{"Tungsten"});
  }
  // A replaced record's terms went with it: one keyword row per record.
  auto terms = [&](const char* field) {
    return pg_store_->pool().acquire()->exec(
        "SELECT count(*) FROM amis_record_terms WHERE field = $1 AND id LIKE 'bulk-%'",
        store::postgis::Params().text(field)).integer(0, 0);
  };
  EXPECT_EQ(terms("keyword"), static_cast<std::int64_t>(n));
  EXPECT_EQ(terms("type"), static_cast<std::int64_t>(n));
  catalog::CatalogQuery q;
  q.limit = std::nullopt;
  q.q = {"bulk"};
  q.facets = {catalog::FacetField::Keyword};
  const auto found = expect_same(q, "records put more than once across the steps", false);
  EXPECT_EQ(found.size(), n);
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(gpkg_), static_cast<store::CatalogStore*>(pg_)}) {
    auto w = c->writer();
    for (std::size_t i = 0; i < n; ++i) EXPECT_TRUE(w->remove(make(i, "").id));
    w->commit();
    EXPECT_EQ(c->size(), 2000);
  }
  EXPECT_EQ(terms("keyword") + terms("type"), 0);  // none left behind
}

// An older store's terms had a foreign key to their records (its check per term was
// an eighth of an import's time); the schema drops it, and the writer deletes a
// record's terms with the record.
TEST_F(PgCatalogTest, AnOlderStoreLosesTheTermsForeignKey) {
  {
    auto c = pg_store_->pool().acquire();
    c->exec("ALTER TABLE amis_record_terms ADD CONSTRAINT amis_record_terms_id_fkey FOREIGN KEY (id) "
            "REFERENCES amis_records (id) ON DELETE CASCADE");
    c->exec("DELETE FROM amis_schema_state");  // an older build's store has an older schema digest
  }
  { store::postgis::PostgisStore restarted(pg_url(), 1, "/tmp"); }
  EXPECT_EQ(pg_store_->pool().acquire()->exec(
                "SELECT count(*) FROM pg_constraint WHERE conname = 'amis_record_terms_id_fkey'").integer(0, 0), 0);
}

// Params::texts quotes each element of a text[] literal.
TEST_F(PgCatalogTest, ATextArrayParameterKeepsEveryCharacter) {
  const std::vector<std::string> values{"plain", "with \"quotes\"", "back\\slash", "{braces},commas", "", "NULL"};
  auto c = pg_store_->pool().acquire();
  const auto r = c->exec("SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u (v, i) ORDER BY i",
                         store::postgis::Params().texts(values));
  ASSERT_EQ(r.rows(), static_cast<int>(values.size()));
  for (int i = 0; i < r.rows(); ++i) {
    EXPECT_FALSE(r.is_null(i, 0)) << i;
    EXPECT_EQ(r.text(i, 0), values[static_cast<std::size_t>(i)]);
  }
}

TEST_F(PgCatalogTest, ReplaceDerivedAlike) {
  catalog::Record a;
  a.id = "amis:collection:a";
  a.title = "A";
  a.origin = catalog::RecordOrigin::Derived;
  auto b = a;
  b.id = "amis:collection:b";
  for (store::CatalogStore* c : {static_cast<store::CatalogStore*>(gpkg_), static_cast<store::CatalogStore*>(pg_)}) {
    EXPECT_EQ(c->replace_derived({a, b}, 7), 2);
    const auto stamp = c->record(a.id)->updated;
    EXPECT_EQ(c->replace_derived({a, b}, 7), 0);
    EXPECT_EQ(c->record(a.id)->updated, stamp);
    EXPECT_EQ(c->derived_version(), 7);
    auto changed = b;
    changed.title = "B";
    EXPECT_EQ(c->replace_derived({a, changed}, 8), 1);
    EXPECT_EQ(c->record(b.id)->title, "B");
    EXPECT_EQ(c->replace_derived({}, 9), 2);
    EXPECT_EQ(c->derived_version(), 9);
    EXPECT_EQ(c->size(), 2000);
    auto authored = a;
    authored.origin = catalog::RecordOrigin::Authored;
    EXPECT_THROW(c->replace_derived({authored}, 10), core::InvalidValue);
    EXPECT_EQ(c->derived_version(), 9);
  }
}

// What derived records describe — styles, raster layers, collections — counts up
// sources_version in the writer's transaction, on the PostGIS store as on the GeoPackage.
TEST_F(PgCatalogTest, SourceChangesCountUpTheSourcesVersion) {
  const auto before = pg_->sources_version();
  core::Collection sites;
  sites.id = "sites";
  sites.title = "Sites";
  sites.geometry_type = "POINT";
  sites.properties = {{"name", core::PropertyType::Text}};
  auto w = pg_store_->replace_collection(sites);
  w->commit();
  w.reset();
  const auto after_import = pg_->sources_version();
  EXPECT_GT(after_import, before);
  store::StoredStyle style;
  style.collection = "sites";
  style.name = "plain";
  style.title = "Plain";
  style.sld = "<StyledLayerDescriptor/>";
  pg_store_->put_style(style);
  const auto after_style = pg_->sources_version();
  EXPECT_GT(after_style, after_import);
  pg_store_->remove_collection("sites");
  EXPECT_GT(pg_->sources_version(), after_style);
}

}  // namespace
}  // namespace amis
