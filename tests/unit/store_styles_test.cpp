// Named styles in the GeoPackage store, checked with plain SQLite reads of the file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "test_support.hpp"

namespace {

using amis::testing::sqlite_text;

TEST(StoreStyles, AreKeptPerCollectionAndGoWithIt) {
  amis::testing::TempStorePath path("styles");
  amis::store::gpkg::GpkgStore store(path.str());
  amis::testing::write_mines(store);
  store.put_style({"mines", "b", "B", "", "<sld b/>", ""});
  store.put_style({"mines", "a", "A", "about", "<sld a/>", ""});
  store.put_style({"mines", "a", "A2", "about", "<sld a2/>", ""});  // replaces
  EXPECT_THROW(store.put_style({"nope", "a", "A", "", "<x/>", ""}), amis::core::NotFound);
  const auto all = store.styles("mines");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[0].title, "A2");
  EXPECT_EQ(all[0].sld, "<sld a2/>");
  EXPECT_FALSE(all[0].updated.empty());
  EXPECT_EQ(sqlite_text(path.str(), "SELECT collection || '/' || name || '=' || sld FROM amis_styles ORDER BY name"),
            "mines/a=<sld a2/>;mines/b=<sld b/>;");
  EXPECT_FALSE(store.style("mines", "c"));
  EXPECT_TRUE(store.remove_style("mines", "b"));
  EXPECT_FALSE(store.remove_style("mines", "b"));
  store.remove_collection("mines");
  EXPECT_EQ(sqlite_text(path.str(), "SELECT name FROM amis_styles"), "");
}

}  // namespace
