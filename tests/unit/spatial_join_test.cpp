// The spatial joins (core/spatial_join.hpp): argument checks, the reading of their
// condition (query/join_conditions.hpp), the great-circle distance and its search box
// (core/sphere_distance.hpp), the SQL each dialect writes, and the GeoPackage store
// answering joins over a second collection.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/sphere_distance.hpp"
#include "core/spatial_join.hpp"
#include "query/cql2.hpp"
#include "store/postgis/pg_query.hpp"
#include "test_support.hpp"

using namespace amis;

namespace {

core::Expression text(const std::string& cql2) { return query::parse_cql2_text(cql2); }

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::InvalidParameter& e) {
    return e.what();
  }
  return "no error";
}

// The great-circle distance by the haversine formula: an independent check of sphere_distance.
double haversine(double lon1, double lat1, double lon2, double lat2) {
  const double r = std::numbers::pi / 180;
  const double a = std::pow(std::sin((lat2 - lat1) * r / 2), 2) +
                   std::cos(lat1 * r) * std::cos(lat2 * r) * std::pow(std::sin((lon2 - lon1) * r / 2), 2);
  return 2 * core::kMeanEarthRadius * std::asin(std::sqrt(a));
}

}  // namespace

TEST(SpatialJoin, ReadsItsArguments) {
  const auto e = text("amis_within_distance(geom, 'ports', 50000, 'kind = ''sea''')");
  const auto join = core::read_spatial_join(e);
  EXPECT_EQ(join.relation, core::SpatialJoin::Relation::WithinDistance);
  EXPECT_EQ(join.collection, "ports");
  EXPECT_EQ(join.metres, 50000);
  ASSERT_NE(join.condition, nullptr);
  EXPECT_EQ(core::to_debug_string(*join.condition), core::to_debug_string(text("kind = 'sea'")));
  const auto inside = core::read_spatial_join(text("AMIS_INSIDE(geom, 'licences')"));
  EXPECT_EQ(inside.relation, core::SpatialJoin::Relation::Inside);
  EXPECT_EQ(inside.condition, nullptr);
  // An empty condition is every feature.
  EXPECT_EQ(core::read_spatial_join(text("amis_inside(geom, 'licences', '  ')")).condition, nullptr);
}

TEST(SpatialJoin, RefusesBadArguments) {
  for (const char* bad : {"amis_inside(geom)", "amis_inside(geom, 3)", "amis_inside(geom, '')",
                          "amis_inside(geom, 'l', 'a = 1', 'b')", "amis_within_distance(geom, 'p', 'x')",
                          "amis_within_distance(geom, 'p', 0)", "amis_within_distance(geom, 'p', -1)",
                          "amis_within_distance(geom, 'p', 1000001)", "amis_inside(geom, 'l', 'status =')",
                          "amis_inside(geom, 'l', 7)",
                          "amis_inside(geom, 'l', 'amis_inside(geom, ''m'')')"})
    EXPECT_THROW(text(bad), core::InvalidParameter) << bad;
  EXPECT_NE(message_of([] { text("amis_inside(geom, 'l', 'status =')"); }).find("the condition of 'amis_inside'"),
            std::string::npos);
}

TEST(SpatialJoin, ListsTheCollectionsOnceAndBoundsTheJoins) {
  const auto e = text("amis_inside(geom, 'a') AND NOT amis_inside(geom, 'b') OR amis_within_distance(geom, 'a', 5)");
  EXPECT_EQ(core::joined_collections(e), (std::vector<std::string>{"a", "b"}));
  std::string five = "amis_inside(geom, 'a')";
  for (int i = 0; i < 4; ++i) five += " AND amis_inside(geom, 'a')";
  EXPECT_THROW(text(five), core::InvalidParameter);
}

TEST(SpatialJoin, CQL2JsonTakesTheConditionAsTextOrJson) {
  const auto as_text = query::parse_cql2_json(
      R"({"op":"amis_inside","args":[{"property":"geom"},"licences","status = 'active'"]})");
  const auto as_json = query::parse_cql2_json(
      R"({"op":"amis_inside","args":[{"property":"geom"},"licences",{"op":"=","args":[{"property":"status"},"active"]}]})");
  EXPECT_EQ(core::to_debug_string(as_text), core::to_debug_string(as_json));
  EXPECT_EQ(core::to_debug_string(as_text), core::to_debug_string(text("amis_inside(geom, 'licences', 'status = ''active''')")));
}

TEST(SphereDistance, AgreesWithTheHaversineFormulaBetweenPoints) {
  const double cases[][4] = {{100, 10, 101, 10.5}, {120.9, 14.6, 121.0, 14.6}, {95, -5, 141, 5}, {0, 0, 180, 0}};
  for (const auto& c : cases) {
    const auto a = amis::testing::wkb_from_wkt(("POINT (" + std::to_string(c[0]) + " " + std::to_string(c[1]) + ")").c_str());
    const auto b = amis::testing::wkb_from_wkt(("POINT (" + std::to_string(c[2]) + " " + std::to_string(c[3]) + ")").c_str());
    EXPECT_NEAR(core::sphere_distance(a, b), haversine(c[0], c[1], c[2], c[3]), 1e-3);
  }
}

TEST(SphereDistance, MeasuresToTheNearestEdgeAndIsZeroInside) {
  const auto square = amis::testing::wkb_from_wkt("POLYGON ((100 0, 101 0, 101 1, 100 1, 100 0))");
  EXPECT_EQ(core::sphere_distance(amis::testing::wkb_from_wkt("POINT (100.5 0.5)"), square), 0);
  // East of the square at the equator: the distance to its east edge, along the equator.
  EXPECT_NEAR(core::sphere_distance(amis::testing::wkb_from_wkt("POINT (102 0.5)"), square),
              haversine(102, 0.5, 101, 0.5), 5.0);  // the edge is a great-circle arc, not a meridian line: metres apart
  const auto line = amis::testing::wkb_from_wkt("LINESTRING (100 -1, 100 1)");
  EXPECT_NEAR(core::sphere_distance(amis::testing::wkb_from_wkt("POINT (99 0)"), line), haversine(99, 0, 100, 0), 1e-3);
}

TEST(SphereDistance, SearchBoxHoldsTheCircle) {
  for (double lat : {0.0, 45.0, 70.0, -60.0}) {
    const core::Envelope point{110, lat, 110, lat};
    const double metres = 200000;
    const auto box = core::search_box(point, metres);
    for (int k = 0; k < 360; ++k) {  // points of the circle, by the direct geodesic problem on the sphere
      const double r = std::numbers::pi / 180, d = metres / core::kMeanEarthRadius, bearing = k * r;
      const double phi = std::asin(std::sin(lat * r) * std::cos(d) + std::cos(lat * r) * std::sin(d) * std::cos(bearing));
      const double lambda = 110 * r + std::atan2(std::sin(bearing) * std::sin(d) * std::cos(lat * r),
                                                 std::cos(d) - std::sin(lat * r) * std::sin(phi));
      EXPECT_GE(phi / r, box.min_y);
      EXPECT_LE(phi / r, box.max_y);
      EXPECT_GE(lambda / r, box.min_x) << lat;
      EXPECT_LE(lambda / r, box.max_x) << lat;
    }
    EXPECT_LT(box.max_x - box.min_x, 2 * 200000 / (core::kMeanEarthRadius * std::cos(lat * std::numbers::pi / 180)) *
                                         180 / std::numbers::pi * 1.01 + 1e-6);
  }
  const auto polar = core::search_box({10, 89.5, 10, 89.5}, 100000);
  EXPECT_EQ(polar.min_x, -180);
  EXPECT_EQ(polar.max_x, 180);
}

TEST(SpatialJoinSql, PostGisUsesTheGistIndexAndGeographyOnTheSphere) {
  core::Collection ports = amis::testing::mines_collection();
  ports.id = "ports";
  core::Collection deposits = amis::testing::mines_collection();
  deposits.id = "deposits";
  std::string sql;
  std::vector<store::Binding> bindings;
  store::compile_filter(deposits, text("amis_within_distance(geom, 'ports', 50000, 'iso3 = ''IDN''') AND capacity > 2"),
                        store::postgis::PgDialect(), sql, bindings, {ports});
  EXPECT_NE(sql.find("EXISTS (SELECT 1 FROM amis_data.\"ports\" AS amis_j WHERE amis_j.geom && amis_search_box(\"deposits\".geom, ?)"),
            std::string::npos) << sql;
  EXPECT_NE(sql.find("ST_DWithin(CAST(\"deposits\".geom AS geography), CAST(amis_j.geom AS geography), ?, false)"),
            std::string::npos) << sql;
  ASSERT_EQ(bindings.size(), 4u);  // metres twice, the condition's value, then the outer comparison's
  EXPECT_EQ(std::get<double>(bindings[0]), 50000);
  EXPECT_EQ(std::get<double>(bindings[1]), 50000);
  EXPECT_EQ(std::get<std::string>(bindings[2]), "IDN");
  EXPECT_EQ(std::get<std::int64_t>(bindings[3]), 2);
  EXPECT_NE(message_of([&] {
              std::string s;
              std::vector<store::Binding> b;
              store::compile_filter(deposits, text("amis_inside(geom, 'hidden')"), store::postgis::PgDialect(), s, b, {ports});
            }).find("unknown collection 'hidden'"),
            std::string::npos);
}

class SpatialJoinStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<store::gpkg::GpkgStore>(path_.str());
    amis::testing::write_mines(*store_);  // Han Seng (104.3 14.2), Kaltim Prima (116.5 -1.5), Bailongshan (104.7 25.2)
    // A box around Han Seng (active) and one around Kaltim Prima (expired).
    add("zones", "POLYGON", {{"POLYGON ((104 14, 105 14, 105 15, 104 15, 104 14))", "active"},
                             {"POLYGON ((116 -2, 117 -2, 117 -1, 116 -1, 116 -2))", "expired"}});
    add("ports", "POINT", {{"POINT (105.5 25.2)", "river"}});  // about 80 km east of Bailongshan
    mines_ = *store_->collection("mines");
    joined_ = {*store_->collection("zones"), *store_->collection("ports"), *store_->collection("mines")};
  }
  // A collection with the mines' properties, of which only the name is set.
  void add(const std::string& id, const std::string& type, const std::vector<std::pair<const char*, const char*>>& rows) {
    core::Collection c = amis::testing::mines_collection();
    c.id = id;
    c.title = id;
    c.geometry_type = type;
    auto writer = store_->replace_collection(c);
    for (const auto& [wkt, name] : rows) {
      core::Value values[4];
      values[0] = {core::Value::Kind::Text, 0, 0, name};
      writer->add(amis::testing::wkb_from_wkt(wkt), values);
    }
    writer->commit();
  }
  std::vector<std::string> names(const std::string& cql2) {
    core::FeatureQuery q;
    q.limit = 100;
    q.filter = std::make_shared<const core::Expression>(query::parse_cql2_text(cql2));
    q.joined = joined_;
    amis::testing::RecordingSink sink;
    store_->features(mines_, q, sink);
    EXPECT_EQ(store_->count(mines_, q), static_cast<std::int64_t>(sink.names.size())) << cql2;
    return sink.names;
  }
  amis::testing::TempStorePath path_{"spatial-join"};
  std::unique_ptr<store::gpkg::GpkgStore> store_;
  core::Collection mines_;
  std::vector<core::Collection> joined_;
};

using Names = std::vector<std::string>;

TEST_F(SpatialJoinStoreTest, InsideAndNotInsideWithACondition) {
  EXPECT_EQ(names("amis_inside(geom, 'zones')"), (Names{"Han Seng", "Kaltim Prima"}));
  EXPECT_EQ(names("amis_inside(geom, 'zones', 'name = ''active''')"), Names{"Han Seng"});
  EXPECT_EQ(names("NOT amis_inside(geom, 'zones', 'name = ''active''')"), (Names{"Kaltim Prima", "Bailongshan"}));
}

TEST_F(SpatialJoinStoreTest, WithinDistanceIsGreatCircleMetres) {
  const double d = haversine(104.7, 25.2, 105.5, 25.2);  // Bailongshan to the port
  EXPECT_EQ(names("amis_within_distance(geom, 'ports', " + std::to_string(d + 1) + ")"), Names{"Bailongshan"});
  EXPECT_EQ(names("amis_within_distance(geom, 'ports', " + std::to_string(d - 1) + ")"), Names{});
  EXPECT_EQ(names("amis_within_distance(geom, 'ports', " + std::to_string(d + 1) + ", 'name = ''river''')"),
            Names{"Bailongshan"});
  EXPECT_EQ(names("NOT amis_within_distance(geom, 'ports', " + std::to_string(d + 1) + ", 'name = ''sea''')").size(), 3u);
  // A self-join: every mine is within any distance of itself.
  EXPECT_EQ(names("amis_within_distance(geom, 'mines', 1)").size(), 3u);
}

TEST_F(SpatialJoinStoreTest, ACollectionNotHandedInIsUnknown) {
  joined_.clear();
  EXPECT_THROW(names("amis_inside(geom, 'zones')"), core::InvalidParameter);
  EXPECT_THROW(names("amis_inside(geom, 'zones') = TRUE"), core::InvalidParameter);
}
