// CQL2 filters executed by the GeoPackage store on the three test mines.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "query/cql2.hpp"
#include "test_support.hpp"

using namespace amis;

class FilterSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<store::gpkg::GpkgStore>(path_.str());
    amis::testing::write_mines(*store_);
    mines_ = *store_->collection("mines");
  }
  std::vector<std::string> names(const std::string& cql2) {
    core::FeatureQuery q;
    q.limit = 100;
    q.filter = std::make_shared<const core::Expression>(query::parse_cql2_text(cql2));
    amis::testing::RecordingSink sink;
    store_->features(mines_, q, sink);
    EXPECT_EQ(store_->count(mines_, q), static_cast<std::int64_t>(sink.names.size())) << cql2;
    return sink.names;
  }
  amis::testing::TempStorePath path_{"filter"};
  std::unique_ptr<store::gpkg::GpkgStore> store_;
  core::Collection mines_;
};

using Names = std::vector<std::string>;

TEST_F(FilterSqlTest, ComparisonsLikeBetweenInAndNull) {
  EXPECT_EQ(names("capacity > 1 AND iso3 <> 'IDN'"), Names{"Bailongshan"});
  EXPECT_EQ(names("name LIKE 'Ba%'"), Names{"Bailongshan"});
  EXPECT_EQ(names("name LIKE 'ba%'"), Names{});  // LIKE is case-sensitive
  EXPECT_EQ(names("CASEI(name) LIKE CASEI('ba%')"), Names{"Bailongshan"});
  EXPECT_EQ(names("capacity BETWEEN 0.5 AND 3"), (Names{"Han Seng", "Bailongshan"}));
  EXPECT_EQ(names("iso3 NOT IN ('KHM', 'CHN')"), Names{"Kaltim Prima"});
  EXPECT_EQ(names("name IS NULL"), Names{});
  EXPECT_EQ(names("capacity * 2 - 1 >= 139"), Names{"Kaltim Prima"});
}

TEST_F(FilterSqlTest, SpatialPredicatesUseTheGeometry) {
  EXPECT_EQ(names("S_INTERSECTS(geometry, BBOX(100, 10, 110, 30))"), (Names{"Han Seng", "Bailongshan"}));
  EXPECT_EQ(names("S_WITHIN(geometry, POLYGON((110 -5, 120 -5, 120 5, 110 5, 110 -5)))"), Names{"Kaltim Prima"});
  EXPECT_EQ(names("S_CONTAINS(POLYGON((110 -5, 120 -5, 120 5, 110 5, 110 -5)), geometry)"), Names{"Kaltim Prima"});
  EXPECT_EQ(names("S_DISJOINT(geometry, BBOX(100, 10, 110, 30))"), Names{"Kaltim Prima"});
  EXPECT_EQ(names("NOT S_INTERSECTS(geometry, POINT(104.3 14.2)) AND iso3 = 'KHM'"), Names{});
}

TEST_F(FilterSqlTest, TemporalPredicatesOnInstantsAndIntervals) {
  EXPECT_EQ(names("T_BEFORE(opened, TIMESTAMP('2000-01-01T00:00:00Z'))"), Names{"Kaltim Prima"});
  EXPECT_EQ(names("T_AFTER(opened, DATE('2010-03-15'))"), Names{"Han Seng"});  // the date is a whole day
  EXPECT_EQ(names("T_INTERSECTS(opened, INTERVAL('2010-01-01', '..'))"), (Names{"Han Seng", "Bailongshan"}));
  EXPECT_EQ(names("T_DURING(INTERVAL(opened, opened), INTERVAL('1990-01-01T00:00:00Z', '2015-01-01T00:00:00Z'))"),
            (Names{"Kaltim Prima", "Bailongshan"}));
  EXPECT_THROW(names("T_DURING(opened, INTERVAL('1990-01-01T00:00:00Z', '2015-01-01T00:00:00Z'))"),
               core::InvalidParameter);  // an instant in an interval-only relation
}

TEST_F(FilterSqlTest, UnknownPropertiesAndTypeErrorsAre400WithTheName) {
  try {
    names("colour = 'red'");
    FAIL();
  } catch (const core::InvalidParameter& e) {
    EXPECT_NE(std::string(e.what()).find("'colour'"), std::string::npos);
  }
  EXPECT_THROW(names("capacity"), core::InvalidParameter);
  EXPECT_THROW(names("S_INTERSECTS(name, POINT(1 1))"), core::InvalidParameter);
  EXPECT_THROW(names("name + 1 = 2"), core::InvalidParameter);
  EXPECT_THROW(names("unknownfn(name) = 2"), core::InvalidParameter);  // not in /functions
}

TEST_F(FilterSqlTest, InjectionTextStaysData) {
  EXPECT_EQ(names("name = 'x'' OR ''1''=''1'"), Names{});
  EXPECT_THROW(names("\"name\"\"; DROP TABLE mines; --\" = 1"), core::InvalidParameter);
  EXPECT_EQ(store_->collection("mines")->feature_count, 3);
}

TEST_F(FilterSqlTest, FunctionsFromTheCatalogue) {
  EXPECT_EQ(names("upper(name) = 'HAN SENG'"), Names{"Han Seng"});
  EXPECT_EQ(names("LOWER(iso3) = 'idn'"), Names{"Kaltim Prima"});
  EXPECT_EQ(names("length(name) = 11"), Names{"Bailongshan"});
  EXPECT_EQ(names("abs(capacity * -1) > 50"), Names{"Kaltim Prima"});
  EXPECT_THROW(names("abs(name) > 1"), core::InvalidParameter);
  EXPECT_THROW(names("upper(name, iso3) = 'x'"), core::InvalidParameter);
}
