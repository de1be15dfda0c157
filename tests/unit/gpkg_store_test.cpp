#include "store/gpkg/gpkg_store.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "test_support.hpp"

using namespace amis;
using amis::testing::RecordingSink;

class GpkgStoreTest : public ::testing::Test {
 protected:
  amis::testing::TempStorePath path{"store"};
};

TEST_F(GpkgStoreTest, PublishesCollectionMetadataExtentAndCount) {
  store::gpkg::GpkgStore store(path.str());
  amis::testing::write_mines(store);
  auto c = store.collection("mines");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->feature_count, 3);
  EXPECT_EQ(c->geometry_type, "POINT");
  ASSERT_EQ(c->properties.size(), 4u);
  EXPECT_EQ(c->properties[2].type, core::PropertyType::Real);
  ASSERT_TRUE(c->extent);
  EXPECT_DOUBLE_EQ(c->extent->min_x, 104.3);
  EXPECT_DOUBLE_EQ(c->extent->max_x, 116.5);
  ASSERT_TRUE(c->temporal_extent);
  EXPECT_EQ(c->temporal_extent->start, "1992-06-01T00:00:00.000Z");
  EXPECT_FALSE(store.collection("nothing"));
}

TEST_F(GpkgStoreTest, FiltersByBboxPropertyAndTimeWithBoundValues) {
  store::gpkg::GpkgStore store(path.str());
  amis::testing::write_mines(store);
  const auto c = *store.collection("mines");
  core::FeatureQuery q;
  q.limit = 100;
  q.bbox = core::Envelope{100, 10, 110, 30};
  EXPECT_EQ(store.count(c, q), 2);
  q.equals = {{"iso3", "CHN"}};
  RecordingSink sink;
  EXPECT_EQ(store.features(c, q, sink), 1);
  EXPECT_EQ(sink.names, std::vector<std::string>{"Bailongshan"});

  core::FeatureQuery injection;
  injection.equals = {{"iso3", "KHM' OR '1'='1"}};
  EXPECT_EQ(store.count(c, injection), 0);

  core::FeatureQuery time;
  time.datetime = core::TimeInterval{std::nullopt, "2011-01-01T00:00:00.000Z"};
  EXPECT_EQ(store.count(c, time), 2);

  core::FeatureQuery typed;
  typed.equals = {{"capacity", "abc"}};
  EXPECT_THROW(store.count(c, typed), core::InvalidParameter);
}

TEST_F(GpkgStoreTest, PagesInIdOrder) {
  store::gpkg::GpkgStore store(path.str());
  amis::testing::write_mines(store);
  const auto c = *store.collection("mines");
  core::FeatureQuery q;
  q.limit = 2;
  q.offset = 1;
  RecordingSink sink;
  store.features(c, q, sink);
  EXPECT_EQ(sink.ids, (std::vector<std::int64_t>{2, 3}));
}

TEST_F(GpkgStoreTest, AWriterThatIsNotCommittedLeavesTheStoreAsItWas) {
  store::gpkg::GpkgStore store(path.str());
  amis::testing::write_mines(store);
  {
    auto writer = store.replace_collection(amis::testing::mines_collection());
    const auto wkb = amis::testing::wkb_from_wkt("POINT (1 1)");
    core::Value values[4];
    writer->add(wkb, values);
  }  // abandoned: rolled back
  EXPECT_EQ(store.collection("mines")->feature_count, 3);
  RecordingSink sink;
  core::FeatureQuery all;
  all.limit = 10;
  EXPECT_EQ(store.features(*store.collection("mines"), all, sink), 3);
}

TEST_F(GpkgStoreTest, RejectsCollectionIdsThatAreNotPlainNames) {
  store::gpkg::GpkgStore store(path.str());
  for (const char* bad : {"", "1abc", "a b", "x\"; DROP TABLE y;--", "gpkg_contents", "rtree_x"}) {
    auto c = amis::testing::mines_collection();
    c.id = bad;
    EXPECT_THROW(store.replace_collection(c), core::InvalidParameter) << bad;
  }
}

TEST_F(GpkgStoreTest, GdalReadsTheStoreAsAGeoPackageWithASpatialIndex) {
  {
    store::gpkg::GpkgStore store(path.str());
    amis::testing::write_mines(store);
  }
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(path.str().c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_TRUE(ds);
  EXPECT_STREQ(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "GPKG");
  OGRLayerH layer = GDALDatasetGetLayerByName(ds, "mines");
  ASSERT_TRUE(layer);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 3);
  OGR_L_SetSpatialFilterRect(layer, 100, 10, 110, 30);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 2);
  // GDAL reports whether the layer has the GeoPackage R-tree extension.
  OGRLayerH sql = GDALDatasetExecuteSQL(ds, "SELECT HasSpatialIndex('mines', 'geom')", nullptr, nullptr);
  ASSERT_TRUE(sql);
  OGRFeatureH f = OGR_L_GetNextFeature(sql);
  EXPECT_EQ(OGR_F_GetFieldAsInteger(f, 0), 1);
  OGR_F_Destroy(f);
  GDALDatasetReleaseResultSet(ds, sql);
  GDALClose(ds);
}

TEST_F(GpkgStoreTest, ReplacesAGridOnlyWhileItIsTheOneItWasBasedOn) {
  store::gpkg::GpkgStore store(path.str());
  store::RasterLayer raster{"geoid", "Geoid", "", "", "", "rasters/geoid.tif", -50, 80, {90, -12, 150, 45}, {}, "VNM"};
  store.put_raster(raster);
  EXPECT_EQ(store.raster("geoid")->country, "VNM");
  auto replaced = raster;
  replaced.path = "rasters/geoid.v0123456789abcdef.tif";
  replaced.min = -40;
  replaced.bands = {{"N", "m", "", "Float32", std::nullopt, -40, 70}};
  EXPECT_FALSE(store.replace_grid(replaced, "other.tif"));
  EXPECT_EQ(std::filesystem::path(store.raster("geoid")->path).filename(), "geoid.tif");
  EXPECT_TRUE(store.replace_grid(replaced, "geoid.tif"));
  EXPECT_FALSE(store.replace_grid(replaced, "geoid.tif"));  // a second approval based on geoid.tif
  const auto after = store.raster("geoid");
  EXPECT_EQ(std::filesystem::path(after->path).filename(), "geoid.v0123456789abcdef.tif");
  EXPECT_EQ(after->min, -40);
  EXPECT_EQ(after->country, "VNM");  // kept: only the grid changes
  ASSERT_EQ(after->bands.size(), 1u);
  EXPECT_EQ(after->bands[0].name, "N");
  replaced.id = "nosuch";
  EXPECT_FALSE(store.replace_grid(replaced, "geoid.v0123456789abcdef.tif"));
}
