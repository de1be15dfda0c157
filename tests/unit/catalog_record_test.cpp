#include <gtest/gtest.h>

#include "catalog/catalog_query.hpp"
#include "catalog/queryables.hpp"
#include "catalog/record.hpp"
#include "catalog/record_facets.hpp"
#include "catalog/record_json.hpp"
#include "core/error.hpp"

using namespace amis;

namespace {

catalog::Record full_record() {
  catalog::Record r;
  r.id = "amis:collection:coal_mines";
  r.type = "dataset";
  r.title = "Coal mines";
  r.abstract = "Coal mines of ASEAN+3";
  r.keywords = {{{"coal", "mining"}, "", "", ""},
                {{"Mineral resources"}, "GEMET - INSPIRE themes", "http://inspire.ec.europa.eu/theme", "theme"}};
  r.topic_categories = {"geoscientificInformation"};
  r.contacts = {{"", "ASEAN Secretariat", "", "amis@example.org", "", "publisher"}};
  r.lineage = "Global Energy Monitor";
  r.licence = "CC-BY-4.0";
  r.constraints = {"Attribution required"};
  r.extent = core::Envelope{95, -11, 141, 6};
  r.temporal_extent = core::TimeInterval{"2000-01-01", std::nullopt};
  r.reference_system = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
  r.update_frequency = "asNeeded";
  r.links = {{"https://x/wms", "service", "image/png", "OGC:WMS", "coal_mines", "WMS", "PNG"},
             {"https://x/items?f=gpkg", "enclosure", "application/geopackage+sqlite3", "", "", "", "GeoPackage"},
             {"https://x/items?f=png", "enclosure", "image/png", "", "", "", "PNG"}};
  r.external_ids = {{"https://doi.org", "10.1/abc"}};
  r.parent_id = "amis:series:mines";
  r.country = "IDN";
  r.created = "2020-01-01";
  r.feature_count = 42;
  r.origin = catalog::RecordOrigin::Harvested;
  r.provenance = catalog::Provenance{"idn-node", "abc", "2026-01-01T00:00:00Z", "2025-12-31T00:00:00Z"};
  r.updated = "2026-01-02T00:00:00Z";
  return r;
}

}  // namespace

TEST(CatalogRecord, JsonRoundTripKeepsEveryElement) {
  auto r = full_record();
  auto j = catalog::to_json(r);
  auto back = catalog::record_from_json(j);
  EXPECT_EQ(catalog::to_json(back), j);
  EXPECT_EQ(back.keywords[1].thesaurus_uri, "http://inspire.ec.europa.eu/theme");
  EXPECT_EQ(back.provenance->source_node, "idn-node");
  EXPECT_FALSE(back.temporal_extent->end.has_value());
  EXPECT_EQ(back.formats(), (std::vector<std::string>{"PNG", "GeoPackage"}));
  EXPECT_EQ(back.all_keywords().size(), 3u);
}

TEST(CatalogRecord, ValidateRefusesWhatEncodersCannotCarry) {
  auto r = full_record();
  EXPECT_NO_THROW(catalog::validate(r));
  auto bad = r;
  bad.id = "a b";
  EXPECT_THROW(catalog::validate(bad), core::InvalidValue);
  bad = r;
  bad.title.clear();
  EXPECT_THROW(catalog::validate(bad), core::InvalidValue);
  bad = r;
  bad.type = "spaceship";
  EXPECT_THROW(catalog::validate(bad), core::InvalidValue);
  bad = r;
  bad.extent = core::Envelope{10, 0, 5, 1};
  EXPECT_THROW(catalog::validate(bad), core::InvalidValue);
  bad = r;
  bad.contacts[0].role = "boss";
  EXPECT_THROW(catalog::validate(bad), core::InvalidValue);
}

TEST(CatalogRecord, JsonOfTheWrongShapeIsAnInvalidValue) {
  EXPECT_THROW(catalog::record_from_json(nlohmann::json::array()), core::InvalidValue);
  EXPECT_THROW(catalog::record_from_json(nlohmann::json{{"id", 3}}), core::InvalidValue);
  EXPECT_THROW(catalog::record_from_json(nlohmann::json{{"id", "a"}, {"extent", {1, 2}}}), core::InvalidValue);
}

TEST(CatalogQuery, FacetFieldsAndQueryablesHaveTheirNames) {
  for (auto f : catalog::kFacetFields) EXPECT_EQ(catalog::parse_facet_field(catalog::to_string(f)), f);
  EXPECT_FALSE(catalog::parse_facet_field("colour"));
  EXPECT_NE(catalog::find_queryable("title"), nullptr);
  EXPECT_EQ(catalog::find_queryable("password"), nullptr);
  EXPECT_EQ(catalog::iso_scope_code("document"), "nonGeographicDataset");
}

namespace amis::catalog {
namespace {

Record faceted(std::string id, std::string type, std::string country, std::vector<KeywordGroup> keywords,
               std::vector<std::string> formats) {
  Record r;
  r.id = std::move(id);
  r.type = std::move(type);
  r.country = std::move(country);
  r.keywords = std::move(keywords);
  for (auto& f : formats) {
    Link l;
    l.format = std::move(f);
    r.links.push_back(std::move(l));
  }
  return r;
}

// Each record counts once per value (a keyword in two groups, a format on two links);
// empty values are no bucket; the buckets go by count, then bytewise by value, and are cut at the limit.
TEST(RecordFacets, CountsEachRecordOncePerValueInTheStoresOrder) {
  const std::vector<Record> records{
      faceted("a", "dataset", "IDN", {{{"gold", "nickel"}, "", "", ""}, {{"gold"}, "GEMET", "", ""}}, {"CSV", "CSV"}),
      faceted("b", "dataset", "", {{{"nickel", "Zinc"}, "", "", ""}}, {"GeoJSON"}),
      faceted("c", "service", "MYS", {{{"zinc", ""}, "", "", ""}}, {})};
  const auto facets = count_facets(records, {FacetField::Keyword, FacetField::Country, FacetField::Theme,
                                             FacetField::Type, FacetField::Format}, 50);
  ASSERT_EQ(facets.size(), 5u);
  auto buckets = [](const Facet& f) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& b : f.buckets) out.emplace_back(b.value, b.count);
    return out;
  };
  using B = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(buckets(facets[0]), (B{{"nickel", 2}, {"Zinc", 1}, {"gold", 1}, {"zinc", 1}}));
  EXPECT_EQ(buckets(facets[1]), (B{{"IDN", 1}, {"MYS", 1}}));
  EXPECT_EQ(buckets(facets[2]), (B{{"gold", 1}}));
  EXPECT_EQ(buckets(facets[3]), (B{{"dataset", 2}, {"service", 1}}));
  EXPECT_EQ(buckets(facets[4]), (B{{"CSV", 1}, {"GeoJSON", 1}}));
  const auto cut = count_facets(records, {FacetField::Keyword}, 2);
  EXPECT_EQ(buckets(cut[0]), (B{{"nickel", 2}, {"Zinc", 1}}));
}

}  // namespace
}  // namespace amis::catalog
