// FES 2.0 (and 1.1) filters checked against an independent oracle, the CQL2-Text
// parser: a FES filter and the CQL2 text that means the same must give the same
// Expression tree. Literals that went through PROJ are compared with a tolerance.
#include "query/fes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "query/cql2.hpp"
#include "query/xml_document.hpp"

using namespace amis;
using core::to_debug_string;

namespace {

// One property of every type, and one whose name is not an XML name.
const core::Collection& mines() {
  static const core::Collection collection = [] {
    core::Collection c;
    c.id = "mines";
    c.properties = {
        {"name", core::PropertyType::Text},       {"iso3", core::PropertyType::Text},
        {"workers", core::PropertyType::Integer}, {"capacity", core::PropertyType::Real},
        {"surveyed", core::PropertyType::Date},   {"opened", core::PropertyType::DateTime},
        {"active", core::PropertyType::Boolean},  {"depth (m)", core::PropertyType::Real}};
    return c;
  }();
  return collection;
}

constexpr std::string_view kFes20Start =
    R"(<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">)";
constexpr std::string_view kFes11Start =
    R"(<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml">)";

std::string fes20_document(std::string_view body) {
  return std::string(kFes20Start) + std::string(body) + "</fes:Filter>";
}
std::string fes11_document(std::string_view body) {
  return std::string(kFes11Start) + std::string(body) + "</ogc:Filter>";
}

core::SrsName srs(const char* name) { return core::parse_srs_name(name).value(); }

query::FesFilter parse_filter(const std::string& document, const core::SrsName& default_srs = {}) {
  return query::parse_fes_filter_text(document, {mines(), default_srs});
}

std::string tree_of(const query::FesFilter& filter) {
  return filter.expression ? to_debug_string(*filter.expression) : "(no expression)";
}

// The tree of a FES 2.0 filter given the content of its fes:Filter element.
std::string fes(std::string_view body, const core::SrsName& default_srs = {}) {
  return tree_of(parse_filter(fes20_document(body), default_srs));
}
std::string fes11(std::string_view body) { return tree_of(parse_filter(fes11_document(body))); }

std::string cql2(std::string_view text) { return to_debug_string(query::parse_cql2_text(text)); }

std::string ref(std::string_view property) {
  return "<fes:ValueReference>" + std::string(property) + "</fes:ValueReference>";
}
std::string literal(std::string_view text) {
  return "<fes:Literal>" + std::string(text) + "</fes:Literal>";
}

// <fes:op attributes><ValueReference>property</ValueReference><Literal>value</Literal></fes:op>
std::string binary(std::string_view op, std::string_view property, std::string_view value,
                   std::string_view attributes = "") {
  const std::string name(op);
  return "<fes:" + name + std::string(attributes) + ">" + ref(property) + literal(value) +
         "</fes:" + name + ">";
}

std::string envelope(std::string_view srs_attribute, std::string_view lower,
                     std::string_view upper) {
  return "<gml:Envelope" + std::string(srs_attribute) + "><gml:lowerCorner>" + std::string(lower) +
         "</gml:lowerCorner><gml:upperCorner>" + std::string(upper) +
         "</gml:upperCorner></gml:Envelope>";
}
std::string bbox(std::string_view srs_attribute, std::string_view lower, std::string_view upper) {
  return "<fes:BBOX>" + ref("geometry") + envelope(srs_attribute, lower, upper) + "</fes:BBOX>";
}

// The error a document is refused with (an OgcError with code 0 if it was accepted).
core::OgcError error_of(const std::string& document) {
  try {
    parse_filter(document);
  } catch (const core::OgcError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << document.substr(0, 300);
  return core::OgcError(0, "(accepted)", "(accepted)");
}

bool starts_number(const std::string& s, std::size_t i) {
  const auto digit = [&](std::size_t k) {
    return k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]));
  };
  return digit(i) || (s[i] == '-' && digit(i + 1));
}

// Debug strings equal except in real numbers, which may differ by `tolerance`
// (relative above 1): literals that went through a CRS transformation.
::testing::AssertionResult same_tree(const std::string& actual, const std::string& expected,
                                     double tolerance = 1e-7) {
  auto failure = [&](const std::string& why) {
    return ::testing::AssertionFailure()
           << why << "\n  actual:   " << actual << "\n  expected: " << expected;
  };
  std::size_t i = 0, j = 0;
  while (i < actual.size() && j < expected.size()) {
    if (starts_number(actual, i) && starts_number(expected, j)) {
      char* end_a = nullptr;
      char* end_e = nullptr;
      const double a = std::strtod(actual.c_str() + i, &end_a);
      const double e = std::strtod(expected.c_str() + j, &end_e);
      const std::string text_a =
          actual.substr(i, static_cast<std::size_t>(end_a - actual.c_str()) - i);
      const std::string text_e =
          expected.substr(j, static_cast<std::size_t>(end_e - expected.c_str()) - j);
      const bool real = text_a.find_first_of(".eE") != std::string::npos ||
                        text_e.find_first_of(".eE") != std::string::npos;
      if (text_a != text_e && (!real || std::fabs(a - e) > tolerance * std::max(1.0, std::fabs(e))))
        return failure("numbers differ: " + text_a + " vs " + text_e);
      i = static_cast<std::size_t>(end_a - actual.c_str());
      j = static_cast<std::size_t>(end_e - expected.c_str());
    } else {
      if (actual[i] != expected[j])
        return failure("trees differ at character " + std::to_string(i));
      ++i;
      ++j;
    }
  }
  if (i != actual.size() || j != expected.size()) return failure("one tree is longer");
  return ::testing::AssertionSuccess();
}

}  // namespace

// ---------------------------------------------------------------- comparisons

TEST(FesComparison, EachOperatorIsItsCql2Counterpart) {
  const std::pair<const char*, const char*> operators[] = {
      {"PropertyIsEqualTo", "="},
      {"PropertyIsNotEqualTo", "<>"},
      {"PropertyIsLessThan", "<"},
      {"PropertyIsGreaterThan", ">"},
      {"PropertyIsLessThanOrEqualTo", "<="},
      {"PropertyIsGreaterThanOrEqualTo", ">="}};
  for (const auto& [element, symbol] : operators)
    EXPECT_EQ(fes(binary(element, "name", "Han Seng")),
              cql2(std::string("name ") + symbol + " 'Han Seng'"))
        << element;
}

TEST(FesComparison, LiteralsTakeTheTypeOfTheProperty) {
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "workers", "5")), cql2("workers = 5"));
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "workers", " 5 ")), cql2("workers = 5"));
  EXPECT_EQ(fes(binary("PropertyIsGreaterThan", "capacity", "2.5")), cql2("capacity > 2.5"));
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "active", "true")), cql2("active = true"));
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "active", "0")), cql2("active = false"));
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "surveyed", "2020-02-29")),
            cql2("surveyed = DATE('2020-02-29')"));
  EXPECT_EQ(fes(binary("PropertyIsLessThan", "opened", "2020-01-01T07:00:00+07:00")),
            cql2("opened < TIMESTAMP('2020-01-01T00:00:00Z')"));
  // A date compared with a date-time property is the start of that day.
  EXPECT_EQ(fes(binary("PropertyIsLessThan", "opened", "2020-01-01")),
            cql2("opened < TIMESTAMP('2020-01-01T00:00:00Z')"));
  // Text stays text, even when it looks like a number.
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "name", "5")), cql2("name = '5'"));
}

TEST(FesComparison, ALiteralOnTheLeftIsTypedByThePropertyOnTheRight) {
  EXPECT_EQ(
      fes("<fes:PropertyIsLessThan>" + literal("5") + ref("workers") + "</fes:PropertyIsLessThan>"),
      cql2("5 < workers"));
}

TEST(FesComparison, TwoPropertiesCanBeCompared) {
  EXPECT_EQ(fes("<fes:PropertyIsEqualTo>" + ref("name") + ref("iso3") + "</fes:PropertyIsEqualTo>"),
            cql2("name = iso3"));
}

TEST(FesComparison, LiteralsThatDoNotFitThePropertyTypeAreRefused) {
  const std::pair<const char*, const char*> cases[] = {{"workers", "five"},
                                                       {"capacity", "1,5"},
                                                       {"active", "yes"},
                                                       {"opened", "yesterday"},
                                                       {"surveyed", "2019-02-29"}};
  for (const auto& [property, value] : cases) {
    const auto e = error_of(fes20_document(binary("PropertyIsEqualTo", property, value)));
    EXPECT_EQ(e.code(), "InvalidParameterValue") << property << " = " << value;
    EXPECT_EQ(e.locator(), "filter") << property << " = " << value;
  }
}

// CQL2 refuses non-finite numbers; a FES literal must not smuggle one in either
// (a NaN bound to SQLite becomes NULL and silently matches nothing).
TEST(FesComparison, NonFiniteNumbersAreRefused) {
  for (const char* value : {"nan", "inf", "-inf"})
    EXPECT_THROW(parse_filter(fes20_document(binary("PropertyIsEqualTo", "capacity", value))),
                 core::InvalidParameter)
        << value;
  // check_crs84_literals lets NaN corners through: every comparison with NaN is false.
  EXPECT_THROW(parse_filter(fes20_document(
                   bbox(R"( srsName="urn:ogc:def:crs:OGC:1.3:CRS84")", "nan nan", "nan nan"))),
               core::InvalidParameter);
}

TEST(FesComparison, MatchCaseFalseIsCaseiOnBothSides) {
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "name", "kaltim prima", R"( matchCase="false")")),
            cql2("CASEI(name) = CASEI('kaltim prima')"));
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "name", "x", R"( matchCase="true")")),
            cql2("name = 'x'"));
  // Numbers have no case.
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "workers", "5", R"( matchCase="false")")),
            cql2("workers = 5"));
}

TEST(FesComparison, FunctionsAreTheFunctionsCql2Knows) {
  EXPECT_EQ(fes(R"(<fes:PropertyIsEqualTo><fes:Function name="lower">)" + ref("name") +
                "</fes:Function>" + literal("han seng") + "</fes:PropertyIsEqualTo>"),
            cql2("lower(name) = 'han seng'"));
  EXPECT_THROW(
      parse_filter(fes20_document(R"(<fes:PropertyIsEqualTo><fes:Function name="load_file">)" +
                                  literal("/etc/passwd") + "</fes:Function>" + literal("x") +
                                  "</fes:PropertyIsEqualTo>")),
      core::InvalidParameter);
}

// A number compared with a computed value (FES 1.1 arithmetic, a numeric
// function) must stay a number: SQLite orders every number before every text,
// so `workers + 1 > '10'` is false for every feature.
TEST(FesComparison, NumbersComparedWithComputedValuesStayNumbers) {
  EXPECT_EQ(fes11("<ogc:PropertyIsGreaterThan><ogc:Add><ogc:PropertyName>workers</ogc:PropertyName>"
                  "<ogc:Literal>1</ogc:Literal></ogc:Add><ogc:Literal>10</ogc:Literal></"
                  "ogc:PropertyIsGreaterThan>"),
            cql2("workers + 1 > 10"));
  EXPECT_EQ(fes(R"(<fes:PropertyIsGreaterThan><fes:Function name="length">)" + ref("name") +
                "</fes:Function>" + literal("3") + "</fes:PropertyIsGreaterThan>"),
            cql2("length(name) > 3"));
}

// ---------------------------------------------------------------- like, between, null

TEST(FesLike, WildCardAndSingleCharBecomePercentAndUnderscore) {
  EXPECT_EQ(fes(R"(<fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">)" + ref("name") +
                literal("Han*S.ng") + "</fes:PropertyIsLike>"),
            cql2("name LIKE 'Han%S_ng'"));
}

TEST(FesLike, EscapedCharactersAndSqlWildcardsAreLiteral) {
  const std::string like =
      R"(<fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">)" + ref("name");
  // "!*", "!." and "!!" are a literal *, . and !; % and _ mean nothing in FES, so
  // they are escaped for LIKE, as is a backslash.
  EXPECT_EQ(fes(like + literal("100%_!*!.!!") + "</fes:PropertyIsLike>"),
            cql2(R"(name LIKE '100\%\_*.!')"));
  EXPECT_EQ(fes(like + literal(R"(back\slash)") + "</fes:PropertyIsLike>"),
            cql2(R"(name LIKE 'back\\slash')"));
}

TEST(FesLike, MatchCaseFalseIsCasei) {
  EXPECT_EQ(
      fes(R"(<fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!" matchCase="false">)" +
          ref("name") + literal("han*") + "</fes:PropertyIsLike>"),
      cql2("CASEI(name) LIKE CASEI('han%')"));
}

TEST(FesLike, Fes11SpellsTheEscapeAttributeEscape) {
  EXPECT_EQ(fes11(R"(<ogc:PropertyIsLike wildCard="*" singleChar="#" escape="!">)"
                  "<ogc:PropertyName>name</ogc:PropertyName><ogc:Literal>K*#!#</ogc:Literal></"
                  "ogc:PropertyIsLike>"),
            cql2("name LIKE 'K%_#'"));
}

TEST(FesBetween, IsCql2BetweenWithTypedBoundaries) {
  auto between = [](std::string_view property, std::string_view lower, std::string_view upper) {
    return "<fes:PropertyIsBetween>" + ref(property) + "<fes:LowerBoundary>" + literal(lower) +
           "</fes:LowerBoundary><fes:UpperBoundary>" + literal(upper) +
           "</fes:UpperBoundary></fes:PropertyIsBetween>";
  };
  EXPECT_EQ(fes(between("capacity", "1.5", "70")), cql2("capacity BETWEEN 1.5 AND 70"));
  EXPECT_EQ(fes(between("opened", "2000-01-01", "2010-01-01T00:00:00Z")),
            cql2("opened BETWEEN TIMESTAMP('2000-01-01T00:00:00Z') AND "
                 "TIMESTAMP('2010-01-01T00:00:00Z')"));
  EXPECT_THROW(parse_filter(fes20_document("<fes:PropertyIsBetween>" + ref("capacity") +
                                           "<fes:LowerBoundary>" + literal("1") +
                                           "</fes:LowerBoundary></fes:PropertyIsBetween>")),
               core::InvalidParameter);
}

TEST(FesNull, PropertyIsNullAndIsNilAreIsNull) {
  EXPECT_EQ(fes("<fes:PropertyIsNull>" + ref("iso3") + "</fes:PropertyIsNull>"),
            cql2("iso3 IS NULL"));
  EXPECT_EQ(fes("<fes:PropertyIsNil>" + ref("iso3") + "</fes:PropertyIsNil>"),
            cql2("iso3 IS NULL"));
}

// ---------------------------------------------------------------- logic

TEST(FesLogic, AndOrNotNestLikeCql2) {
  const std::string filter = "<fes:And>" + binary("PropertyIsEqualTo", "iso3", "IDN") + "<fes:Or>" +
                             binary("PropertyIsGreaterThan", "workers", "100") +
                             "<fes:Not><fes:PropertyIsNull>" + ref("name") +
                             "</fes:PropertyIsNull></fes:Not></fes:Or>" +
                             binary("PropertyIsLessThan", "capacity", "70") + "</fes:And>";
  EXPECT_EQ(fes(filter),
            cql2("iso3 = 'IDN' AND (workers > 100 OR NOT name IS NULL) AND capacity < 70"));
}

TEST(FesLogic, OperatorsNeedTheirOperands) {
  const std::string one = binary("PropertyIsEqualTo", "name", "x");
  for (const std::string& bad :
       {"<fes:And>" + one + "</fes:And>", "<fes:Or>" + one + "</fes:Or>",
        "<fes:Not>" + one + one + "</fes:Not>", std::string("<fes:Not/>"),
        one + one /* two operators at the top */, std::string("<fes:PropertyIsFoo/>")})
    EXPECT_THROW(parse_filter(fes20_document(bad)), core::InvalidParameter) << bad;
}

// ---------------------------------------------------------------- temporal

namespace {
const std::string kPeriod =
    R"(<gml:TimePeriod gml:id="period"><gml:beginPosition>2000-01-01T00:00:00Z</gml:beginPosition>)"
    R"(<gml:endPosition>2010-12-31T23:59:59Z</gml:endPosition></gml:TimePeriod>)";
}  // namespace

// ISO 19108 During of an instant: strictly after the period's begin and before its end.
TEST(FesTemporal, AnInstantDuringATimePeriodIsAfterItsBeginAndBeforeItsEnd) {
  EXPECT_EQ(fes("<fes:During>" + ref("opened") + kPeriod + "</fes:During>"),
            cql2("T_AFTER(opened, TIMESTAMP('2000-01-01T00:00:00Z')) AND "
                 "T_BEFORE(opened, TIMESTAMP('2010-12-31T23:59:59Z'))"));
}

TEST(FesTemporal, EachOperatorIsItsCql2Counterpart) {
  // During of an instant property is the conjunction above, not T_DURING.
  const std::pair<const char*, const char*> operators[] = {{"After", "T_AFTER"},
                                                           {"Before", "T_BEFORE"},
                                                           {"Begins", "T_STARTS"},
                                                           {"BegunBy", "T_STARTEDBY"},
                                                           {"TContains", "T_CONTAINS"},
                                                           {"TEquals", "T_EQUALS"},
                                                           {"TOverlaps", "T_OVERLAPS"},
                                                           {"Meets", "T_MEETS"},
                                                           {"OverlappedBy", "T_OVERLAPPEDBY"},
                                                           {"MetBy", "T_METBY"},
                                                           {"EndedBy", "T_FINISHEDBY"},
                                                           {"Ends", "T_FINISHES"},
                                                           {"AnyInteracts", "T_INTERSECTS"}};
  for (const auto& [element, function] : operators) {
    const std::string name = element;
    EXPECT_EQ(fes("<fes:" + name + ">" + ref("opened") + kPeriod + "</fes:" + name + ">"),
              cql2(std::string(function) +
                   "(opened, INTERVAL('2000-01-01T00:00:00Z', '2010-12-31T23:59:59Z'))"))
        << element;
  }
}

TEST(FesTemporal, InstantsAreTimestampsOrDates) {
  EXPECT_EQ(
      fes("<fes:After>" + ref("opened") +
          R"(<gml:TimeInstant gml:id="t"><gml:timePosition>2000-01-01T07:00:00+07:00</gml:timePosition>)"
          "</gml:TimeInstant></fes:After>"),
      cql2("T_AFTER(opened, TIMESTAMP('2000-01-01T00:00:00Z'))"));
  EXPECT_EQ(fes("<fes:Before>" + ref("surveyed") + literal("2000-01-01") + "</fes:Before>"),
            cql2("T_BEFORE(surveyed, DATE('2000-01-01'))"));
}

// QGIS 3.22 sends FILTER=...+07:00... without encoding the '+', which a query
// string decodes as a space.
TEST(FesTemporal, AnOffsetWhosePlusBecameASpaceIsReadAsPlus) {
  EXPECT_EQ(fes("<fes:PropertyIsLessThan>" + ref("opened") + literal("2024-01-03T00:00:00 07:00") +
                "</fes:PropertyIsLessThan>"),
            cql2("opened < TIMESTAMP('2024-01-02T17:00:00Z')"));
  EXPECT_EQ(fes("<fes:PropertyIsLessThan>" + ref("opened") + literal("2024-01-03T00:00:00.5 07:00") +
                "</fes:PropertyIsLessThan>"),
            cql2("opened < TIMESTAMP('2024-01-02T17:00:00.5Z')"));
  // a space elsewhere is still not a date-time
  EXPECT_THROW(fes("<fes:PropertyIsLessThan>" + ref("opened") + literal("2024-01-03 07:00") +
                   "</fes:PropertyIsLessThan>"),
               core::OgcError);
  EXPECT_THROW(fes("<fes:PropertyIsLessThan>" + ref("opened") + literal("2024-01-03T00:00:00 7") +
                   "</fes:PropertyIsLessThan>"),
               core::OgcError);
}

TEST(FesTemporal, Gml31BeginAndEndWrappers) {
  const std::string period =
      "<gml:TimePeriod><gml:begin><gml:TimeInstant><gml:timePosition>2000-01-01</gml:timePosition>"
      "</gml:TimeInstant></gml:begin><gml:end><gml:TimeInstant><gml:timePosition>2010-12-31"
      "</gml:timePosition></gml:TimeInstant></gml:end></gml:TimePeriod>";
  EXPECT_EQ(
      fes("<fes:During>" + ref("surveyed") + period + "</fes:During>"),
      cql2("T_AFTER(surveyed, DATE('2000-01-01')) AND T_BEFORE(surveyed, DATE('2010-12-31'))"));
  EXPECT_EQ(fes("<fes:TOverlaps>" + ref("surveyed") + period + "</fes:TOverlaps>"),
            cql2("T_OVERLAPS(surveyed, INTERVAL('2000-01-01', '2010-12-31'))"));
}

TEST(FesTemporal, IndeterminateEndsAreOpen) {
  const std::string begin = "<gml:beginPosition>2000-01-01T00:00:00Z</gml:beginPosition>";
  const std::string unknown_end = R"(<gml:endPosition indeterminatePosition="unknown"/>)";
  const std::string unknown_begin = R"(<gml:beginPosition indeterminatePosition="unknown"/>)";
  auto period = [](const std::string& bounds) {
    return "<gml:TimePeriod>" + bounds + "</gml:TimePeriod>";
  };
  EXPECT_EQ(fes("<fes:AnyInteracts>" + ref("opened") + period(begin + unknown_end) +
                "</fes:AnyInteracts>"),
            cql2("T_INTERSECTS(opened, INTERVAL('2000-01-01T00:00:00Z', '..'))"));
  EXPECT_EQ(fes("<fes:During>" + ref("opened") + period(begin + unknown_end) + "</fes:During>"),
            cql2("T_AFTER(opened, TIMESTAMP('2000-01-01T00:00:00Z'))"));
  EXPECT_EQ(
      fes("<fes:During>" + ref("opened") + period(unknown_begin + unknown_end) + "</fes:During>"),
      cql2("NOT opened IS NULL"));
}

TEST(FesTemporal, WhatIsNotATimeIsRefused) {
  for (const std::string& time :
       {std::string(
            R"(<gml:TimeInstant><gml:timePosition>yesterday</gml:timePosition></gml:TimeInstant>)"),
        literal("2000-13-01"),
        std::string(R"(<gml:Point srsName="EPSG:4326"><gml:pos>104 14</gml:pos></gml:Point>)")})
    EXPECT_THROW(
        parse_filter(fes20_document("<fes:After>" + ref("opened") + time + "</fes:After>")),
        core::InvalidParameter)
        << time;
}

// ---------------------------------------------------------------- spatial and axis order

TEST(FesSpatial, BboxInUrnEpsg4326IsLatitudeFirst) {
  EXPECT_TRUE(same_tree(fes(bbox(R"( srsName="urn:ogc:def:crs:EPSG::4326")", "-11 95", "6 141")),
                        cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))")));
  EXPECT_TRUE(same_tree(
      fes(bbox(R"( srsName="http://www.opengis.net/def/crs/EPSG/0/4326")", "-11 95", "6 141")),
      cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))")));
}

TEST(FesSpatial, BboxInEpsgColon4326AndCrs84IsLongitudeFirst) {
  for (const char* name : {"EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84",
                           "http://www.opengis.net/def/crs/OGC/1.3/CRS84"})
    EXPECT_EQ(fes(bbox(std::string(" srsName=\"") + name + "\"", "95 -11", "141 6")),
              cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))"))
        << name;
}

TEST(FesSpatial, BboxWithoutValueReferenceIsOnTheGeometry) {
  EXPECT_EQ(
      fes("<fes:BBOX>" + envelope(R"( srsName="EPSG:4326")", "95 -11", "141 6") + "</fes:BBOX>"),
      cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))"));
}

TEST(FesSpatial, GeometriesWithoutSrsNameAreInTheQuerySrs) {
  EXPECT_TRUE(same_tree(fes(bbox("", "-11 95", "6 141"), srs("urn:ogc:def:crs:EPSG::4326")),
                        cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))")));
  EXPECT_EQ(fes(bbox("", "95 -11", "141 6"), srs("EPSG:4326")),
            cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))"));
  EXPECT_EQ(fes(bbox("", "95 -11", "141 6")),
            cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))"));
}

TEST(FesSpatial, BboxInAProjectedCrsIsTransformedToCrs84) {
  // 104..105 E, 14..15 N in Web Mercator (spherical formulas, R = 6378137).
  EXPECT_TRUE(same_tree(
      fes(bbox(R"( srsName="urn:ogc:def:crs:EPSG::3857")", "11577227.042500451 1574216.5481614638",
               "11688546.533293726 1689200.1396078924")),
      cql2("S_INTERSECTS(geometry, BBOX(104, 14, 105, 15))")));
}

TEST(FesSpatial, Fes11GmlBoxWithCoordinates) {
  EXPECT_EQ(
      fes11(
          R"(<ogc:BBOX><ogc:PropertyName>geometry</ogc:PropertyName><gml:Box srsName="EPSG:4326">)"
          "<gml:coordinates>95,-11 141,6</gml:coordinates></gml:Box></ogc:BBOX>"),
      cql2("S_INTERSECTS(geometry, BBOX(95, -11, 141, 6))"));
}

TEST(FesSpatial, EachOperatorIsItsCql2Counterpart) {
  const std::string polygon =
      R"(<gml:Polygon gml:id="p" srsName="urn:ogc:def:crs:OGC:1.3:CRS84"><gml:exterior><gml:LinearRing>)"
      "<gml:posList>100 0 101 0 101 1 100 1 100 "
      "0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>";
  const std::pair<const char*, const char*> operators[] = {
      {"Intersects", "S_INTERSECTS"}, {"Equals", "S_EQUALS"},    {"Disjoint", "S_DISJOINT"},
      {"Touches", "S_TOUCHES"},       {"Within", "S_WITHIN"},    {"Overlaps", "S_OVERLAPS"},
      {"Crosses", "S_CROSSES"},       {"Contains", "S_CONTAINS"}};
  for (const auto& [element, function] : operators) {
    const std::string name = element;
    EXPECT_EQ(
        fes("<fes:" + name + ">" + ref("geometry") + polygon + "</fes:" + name + ">"),
        cql2(std::string(function) + "(geometry, POLYGON((100 0, 101 0, 101 1, 100 1, 100 0)))"))
        << element;
  }
}

TEST(FesSpatial, GeometryAxisOrderFollowsTheSrsName) {
  const std::string expected = cql2("S_INTERSECTS(geometry, POINT(104.3 14.2))");
  auto intersects = [](const char* srs_name, const char* pos) {
    return "<fes:Intersects>" + ref("geometry") + R"(<gml:Point gml:id="p" srsName=")" + srs_name +
           "\"><gml:pos>" + pos + "</gml:pos></gml:Point></fes:Intersects>";
  };
  EXPECT_TRUE(same_tree(fes(intersects("urn:ogc:def:crs:EPSG::4326", "14.2 104.3")), expected));
  EXPECT_EQ(fes(intersects("EPSG:4326", "104.3 14.2")), expected);
  // CGCS2000 is latitude first in EPSG's order; its EPSG:n form is longitude first.
  EXPECT_TRUE(same_tree(fes(intersects("EPSG:4490", "104.3 14.2")), expected, 1e-5));
  EXPECT_TRUE(
      same_tree(fes(intersects("urn:ogc:def:crs:EPSG::4490", "14.2 104.3")), expected, 1e-5));
}

TEST(FesSpatial, BadEnvelopesAreRefused) {
  const std::string crs84 = R"( srsName="urn:ogc:def:crs:OGC:1.3:CRS84")";
  for (const std::string& bad : {bbox(crs84, "141 6", "95 -11"),      // corners inverted
                                 bbox(crs84, "170 0", "190 10"),      // beyond longitude 180
                                 bbox(crs84, "95 -11 0", "141 6 0"),  // three numbers
                                 bbox(crs84, "a b", "c d"),           // not numbers
                                 bbox(R"( srsName="EPSG:not-a-code")", "95 -11", "141 6"),
                                 "<fes:BBOX>" + ref("geometry") + "<gml:Foo/></fes:BBOX>",
                                 "<fes:Intersects>" + ref("geometry") + "</fes:Intersects>"}) {
    const auto e = error_of(fes20_document(bad));
    EXPECT_EQ(e.code(), "InvalidParameterValue") << bad;
    EXPECT_EQ(e.locator(), "filter") << bad;
  }
}

// A code PROJ does not know is a client error. Run under ASan: the refusal must
// not leak the half-built transformation (filter_crs.cpp's OgrTransform).
TEST(FesSpatial, AnEpsgCodeProjDoesNotKnowIsRefused) {
  for (const char* name : {"urn:ogc:def:crs:EPSG::999999", "EPSG:999999"}) {
    const auto e =
        error_of(fes20_document(bbox(std::string(" srsName=\"") + name + "\"", "0 0", "1 1")));
    EXPECT_EQ(e.code(), "InvalidParameterValue") << name;
    EXPECT_EQ(e.locator(), "filter") << name;
  }
}

TEST(FesSpatial, DistanceOperatorsAreOptionsNotSupported) {
  for (const char* op : {"DWithin", "Beyond"}) {
    const std::string name = op;
    const auto e = error_of(fes20_document(
        "<fes:" + name + ">" + ref("geometry") +
        R"(<gml:Point gml:id="p" srsName="EPSG:4326"><gml:pos>104 14</gml:pos></gml:Point>)"
        R"(<fes:Distance uom="m">100</fes:Distance></fes:)" +
        name + ">"));
    EXPECT_EQ(e.code(), "OptionNotSupported") << op;
    EXPECT_EQ(e.status(), 400) << op;
    EXPECT_EQ(e.locator(), "filter") << op;
  }
}

// ---------------------------------------------------------------- resource ids

TEST(FesResourceId, RidsAreReturnedInsteadOfAnExpression) {
  const auto filter = parse_filter(
      fes20_document(R"(<fes:ResourceId rid="mines.1"/><fes:ResourceId rid="mines.3"/>)"));
  EXPECT_FALSE(filter.expression);
  EXPECT_EQ(filter.resource_ids, (std::vector<std::string>{"mines.1", "mines.3"}));
}

TEST(FesResourceId, Fes11FeatureIdAndGmlObjectId) {
  EXPECT_EQ(parse_filter(fes11_document(R"(<ogc:FeatureId fid="mines.2"/>)")).resource_ids,
            std::vector<std::string>{"mines.2"});
  EXPECT_EQ(parse_filter(fes11_document(R"(<ogc:GmlObjectId gml:id="mines.4"/>)")).resource_ids,
            std::vector<std::string>{"mines.4"});
}

TEST(FesResourceId, CannotBeMixedWithOperatorsOrLackAnId) {
  EXPECT_THROW(parse_filter(fes20_document(R"(<fes:ResourceId rid="mines.1"/>)" +
                                           binary("PropertyIsEqualTo", "name", "x"))),
               core::InvalidParameter);
  EXPECT_THROW(parse_filter(fes20_document("<fes:ResourceId/>")), core::InvalidParameter);
}

// ---------------------------------------------------------------- value references

TEST(FesValueReference, PlainPrefixedAndTypeQualifiedNamesResolve) {
  const auto& c = mines();
  EXPECT_EQ(query::resolve_value_reference("name", c), "name");
  EXPECT_EQ(query::resolve_value_reference("amis:name", c), "name");
  EXPECT_EQ(query::resolve_value_reference("mines/name", c), "name");
  EXPECT_EQ(query::resolve_value_reference("amis:mines/amis:name", c), "name");
  EXPECT_EQ(query::resolve_value_reference("  name\n", c), "name");
  EXPECT_EQ(query::resolve_value_reference("depth__m_", c), "depth (m)");  // its XML element name
  EXPECT_EQ(query::resolve_value_reference("geometry", c), "geometry");
  EXPECT_EQ(query::resolve_value_reference("geom", c), "geometry");
  EXPECT_EQ(query::resolve_value_reference("amis:geometry", c), "geometry");
}

TEST(FesValueReference, UnknownNamesAndOtherTypesDoNotResolve) {
  const auto& c = mines();
  for (const char* text : {"", "colour", "countries/name", "name/iso3", "amis:countries/amis:name"})
    EXPECT_FALSE(query::resolve_value_reference(text, c)) << text;
}

TEST(FesValueReference, XPathIsNeverEvaluated) {
  for (const char* xpath :
       {"//name", "/mines/name", "mines//name", "name[1]", "a/b/c", "name | iso3",
        "mines/name/text()", "../name", "@name", "*", "count(//*)", "name()"}) {
    EXPECT_FALSE(query::resolve_value_reference(xpath, mines())) << xpath;
    const auto e = error_of(fes20_document(binary("PropertyIsEqualTo", xpath, "x")));
    EXPECT_EQ(e.code(), "InvalidParameterValue") << xpath;
    EXPECT_EQ(e.locator(), "filter") << xpath;
  }
}

TEST(FesValueReference, UnknownPropertiesAreInvalidFilterValues) {
  const auto e = error_of(fes20_document(binary("PropertyIsEqualTo", "colour", "red")));
  EXPECT_EQ(e.code(), "InvalidParameterValue");
  EXPECT_EQ(e.locator(), "filter");
  EXPECT_EQ(e.status(), 400);
  EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos) << e.what();
}

// ---------------------------------------------------------------- hostile and malformed documents

TEST(FesDocument, DtdsAreRefusedSoNoEntityIsEverExpanded) {
  const std::string body = binary("PropertyIsEqualTo", "name", "&xxe;");
  const std::string xxe =
      R"(<?xml version="1.0"?><!DOCTYPE fes:Filter [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>)" +
      fes20_document(body);
  const std::string external =
      R"(<!DOCTYPE fes:Filter SYSTEM "http://example.com/filter.dtd">)" + fes20_document(body);
  std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">)";
  for (int i = 1; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&lol" + std::to_string(i - 1) + ";";
    laughs += "\">";
  }
  laughs += "]>" + fes20_document(binary("PropertyIsEqualTo", "name", "&lol9;"));
  for (const std::string& document : {xxe, external, laughs}) {
    EXPECT_THROW(parse_filter(document), core::ParsingFailed) << document.substr(0, 80);
    const auto e = error_of(document);
    EXPECT_EQ(e.code(), "OperationParsingFailed");
    EXPECT_EQ(e.locator(), "filter");
    EXPECT_EQ(std::string(e.what()).find("root:"), std::string::npos) << e.what();
  }
}

TEST(FesDocument, UndeclaredEntitiesAreRefused) {
  // XML 1.0 4.1 (WFC: Entity Declared): without a DTD only the predefined entities exist.
  EXPECT_THROW(parse_filter(fes20_document(binary("PropertyIsEqualTo", "name", "&xxe;"))), core::ParsingFailed);
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "name", "&amp;xxe;")), cql2("name = '&xxe;'"));
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "name", "<![CDATA[&xxe;]]>")), cql2("name = '&xxe;'"));
  EXPECT_EQ(fes(binary("PropertyIsEqualTo", "name", "&#38;&#x41;")), cql2("name = '&A'"));
}

TEST(FesDocument, MalformedXmlIsAParsingFailure) {
  for (const std::string& bad :
       {std::string(), std::string("not xml"), std::string(kFes20Start),
        fes20_document("<fes:And>"), std::string("<fes:Filter><a></b></fes:Filter>")})
    EXPECT_THROW(parse_filter(bad), core::ParsingFailed) << bad;
}

TEST(FesDocument, DocumentsOverOneMebibyteAreRefusedUnread) {
  const std::string big =
      fes20_document(binary("PropertyIsEqualTo", "name", std::string(query::kMaxXmlBytes, 'x')));
  EXPECT_THROW(parse_filter(big), core::ParsingFailed);
}

TEST(FesDocument, TheRootMustBeANonEmptyFilter) {
  EXPECT_THROW(parse_filter(R"(<fes:Query xmlns:fes="http://www.opengis.net/fes/2.0"/>)"),
               core::InvalidParameter);
  EXPECT_THROW(parse_filter(fes20_document("")), core::InvalidParameter);
}

TEST(FesDocument, NestingDeeperThan64LevelsIsRefusedWithoutExhaustingTheStack) {
  auto nots = [](int levels) {
    std::string filter;
    for (int i = 0; i < levels; ++i) filter += "<fes:Not>";
    filter += binary("PropertyIsEqualTo", "name", "x");
    for (int i = 0; i < levels; ++i) filter += "</fes:Not>";
    return fes20_document(filter);
  };
  EXPECT_NO_THROW(parse_filter(nots(60)));
  for (int levels : {65, 100, 50000}) {  // 50000 levels stay under the 1 MiB limit
    const auto e = error_of(nots(levels));
    EXPECT_EQ(e.status(), 400) << levels;
    EXPECT_EQ(e.locator(), "filter") << levels;
  }
}
