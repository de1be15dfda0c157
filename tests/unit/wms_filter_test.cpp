// CQL_FILTER, the WMS vendor parameter: one CQL2 text filter per layer, separated by
// ';' (not inside a quoted string), INCLUDE or nothing for no filter.
#include "api/wms/wms_filter.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/expression.hpp"
#include "http/request.hpp"
#include "query/cql2.hpp"

using namespace amis;
using api::wms::parse_cql_filter;

namespace {

http::Request wms(std::vector<std::pair<std::string, std::string>> query) {
  http::Request r;
  r.method = "GET";
  r.path = "/wms";
  r.query = std::move(query);
  return r;
}

http::Request with_filter(const std::string& text) {
  return wms({{"SERVICE", "WMS"}, {"REQUEST", "GetMap"}, {"CQL_FILTER", text}});
}

// The tree the OGC API filter parser makes of the same text: what each entry must become.
std::string tree(const std::string& cql2_text) { return core::to_debug_string(query::parse_cql2_text(cql2_text)); }

core::OgcError error_of(const http::Request& request, std::size_t layer_count) {
  try {
    parse_cql_filter(request, layer_count);
  } catch (const core::OgcError& e) {
    return e;
  }
  ADD_FAILURE() << "no OgcError";
  return core::OgcError(0, "(none)", "(none)");
}

}  // namespace

TEST(WmsCqlFilter, WithoutTheParameterThereAreNoFilters) {
  EXPECT_TRUE(parse_cql_filter(wms({{"LAYERS", "a,b"}}), 2).empty());
}

TEST(WmsCqlFilter, OneFilterForOneLayerParsesAsCql2Text) {
  const auto filters = parse_cql_filter(with_filter("iso3 = 'IDN' AND capacity_mtpa >= 2"), 1);
  ASSERT_EQ(filters.size(), 1u);
  ASSERT_NE(filters[0], nullptr);
  EXPECT_EQ(core::to_debug_string(*filters[0]), tree("iso3 = 'IDN' AND capacity_mtpa >= 2"));
}

TEST(WmsCqlFilter, ParameterNameIsCaseInsensitive) {
  const auto filters = parse_cql_filter(wms({{"cql_filter", "rank < 3"}}), 1);
  ASSERT_EQ(filters.size(), 1u);
  ASSERT_NE(filters[0], nullptr);
  EXPECT_EQ(core::to_debug_string(*filters[0]), tree("rank < 3"));
}

TEST(WmsCqlFilter, IncludeAndBlankEntriesAreNoFilter) {
  const auto filters = parse_cql_filter(with_filter("INCLUDE;include; \tInClUdE\t ;;  ; rank = 1 "), 6);
  ASSERT_EQ(filters.size(), 6u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(filters[i], nullptr) << "entry " << i;
  ASSERT_NE(filters[5], nullptr);
  EXPECT_EQ(core::to_debug_string(*filters[5]), tree("rank = 1"));
}

TEST(WmsCqlFilter, AnEmptyValueIsNoFilterForTheOneLayer) {
  const auto filters = parse_cql_filter(with_filter(""), 1);
  ASSERT_EQ(filters.size(), 1u);
  EXPECT_EQ(filters[0], nullptr);
}

TEST(WmsCqlFilter, SemicolonInsideAQuotedStringStaysInIt) {
  const std::string first = "kind = 'a;b' OR kind = 'O''Brien; Sons'";
  const auto filters = parse_cql_filter(with_filter(first + ";INCLUDE;label LIKE '%;%'"), 3);
  ASSERT_EQ(filters.size(), 3u);
  ASSERT_NE(filters[0], nullptr);
  EXPECT_EQ(core::to_debug_string(*filters[0]), tree(first));
  EXPECT_EQ(filters[1], nullptr);
  ASSERT_NE(filters[2], nullptr);
  EXPECT_EQ(core::to_debug_string(*filters[2]), tree("label LIKE '%;%'"));
}

TEST(WmsCqlFilter, OneEntryPerLayerOrItIsRefused) {
  const std::vector<std::pair<std::string, std::size_t>> cases = {
      {"a = 1;b = 2", 1}, {"a = 1", 2}, {"", 2}, {";", 1}, {"a = 1;", 1}, {"INCLUDE;INCLUDE;INCLUDE", 2}};
  for (const auto& [text, layer_count] : cases) {
    const auto e = error_of(with_filter(text), layer_count);
    EXPECT_EQ(e.status(), 400) << text;
    EXPECT_EQ(e.code(), "InvalidParameterValue") << text;
    EXPECT_EQ(e.locator(), "CQL_FILTER") << text;
  }
  const std::string message = error_of(with_filter("a = 1;b = 2;c = 3"), 2).what();
  EXPECT_NE(message.find('3'), std::string::npos) << message;
  EXPECT_NE(message.find('2'), std::string::npos) << message;
}

TEST(WmsCqlFilter, FiltersThatDoNotParseAreInvalidParameterValueAtCqlFilter) {
  const std::vector<std::pair<std::string, std::size_t>> cases = {
      {"rank =", 1},
      {"kind = 'unterminated", 1},
      {"(rank = 1", 1},
      {"S_INTERSECTS(geom, POINT(200 100))", 1},  // outside CRS84
      {"INCLUDE;rank =", 2},                        // the second entry
  };
  for (const auto& [text, layer_count] : cases) {
    const auto e = error_of(with_filter(text), layer_count);
    EXPECT_EQ(e.status(), 400) << text;
    EXPECT_EQ(e.code(), "InvalidParameterValue") << text;
    EXPECT_EQ(e.locator(), "CQL_FILTER") << text;
    EXPECT_EQ(std::string(e.what()).rfind("CQL_FILTER", 0), 0u) << e.what();
  }
}
