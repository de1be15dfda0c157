#include "core/datetime.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using amis::core::parse_datetime_parameter;
using amis::core::parse_instant;

TEST(ParseInstant, NormalisesToUtcMilliseconds) {
  EXPECT_EQ(parse_instant("2018-02-12T23:20:50Z"), "2018-02-12T23:20:50.000Z");
  EXPECT_EQ(parse_instant("2018-02-12T23:20:50.5z"), "2018-02-12T23:20:50.500Z");
  EXPECT_EQ(parse_instant("2018-02-12 23:20:50.123456Z"), "2018-02-12T23:20:50.123Z");
}

TEST(ParseInstant, AppliesOffsetsAcrossDayMonthAndYearBoundaries) {
  EXPECT_EQ(parse_instant("2018-02-13T05:20:50+07:00"), "2018-02-12T22:20:50.000Z");
  EXPECT_EQ(parse_instant("2019-01-01T01:00:00+02:00"), "2018-12-31T23:00:00.000Z");
  EXPECT_EQ(parse_instant("2020-02-28T23:30:00-01:00"), "2020-02-29T00:30:00.000Z");
}

TEST(ParseInstant, KeepsDatesAsDates) { EXPECT_EQ(parse_instant("2020-02-29"), "2020-02-29"); }

TEST(ParseInstant, RejectsInvalidInstants) {
  for (const char* bad : {"", "2018", "2018-13-01", "2019-02-29", "2018-02-12T25:00:00Z",
                          "2018-02-12T10:00:00", "2018-02-12T10:00:00+7", "2018-02-12X",
                          "2018-02-12T10:00:00Zjunk", "1 OR 1=1"})
    EXPECT_FALSE(parse_instant(bad)) << bad;
}

TEST(DatetimeParameter, InstantDateCoversTheWholeDay) {
  const auto i = parse_datetime_parameter("2018-02-12");
  EXPECT_EQ(i.start, "2018-02-12");
  EXPECT_EQ(i.end, "2018-02-12T23:59:59.999Z");
}

TEST(DatetimeParameter, ClosedAndOpenIntervals) {
  auto closed = parse_datetime_parameter("2018-02-12T00:00:00Z/2018-03-18T12:31:12Z");
  EXPECT_EQ(closed.start, "2018-02-12T00:00:00.000Z");
  EXPECT_EQ(closed.end, "2018-03-18T12:31:12.000Z");
  auto open_start = parse_datetime_parameter("../2018-03-18T12:31:12Z");
  EXPECT_FALSE(open_start.start);
  EXPECT_EQ(open_start.end, "2018-03-18T12:31:12.000Z");
  auto open_end = parse_datetime_parameter("2018-02-12T00:00:00Z/");
  EXPECT_EQ(open_end.start, "2018-02-12T00:00:00.000Z");
  EXPECT_FALSE(open_end.end);
}

TEST(DatetimeParameter, RejectsMalformedIntervals) {
  for (const char* bad : {"", "..", "../..", "/", "2018-02-12/2018-02-11", "a/b",
                          "2018-02-12/2018-02-13/2018-02-14"})
    EXPECT_THROW(parse_datetime_parameter(bad), amis::core::InvalidParameter) << bad;
}
