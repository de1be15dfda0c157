#include "encode/json_text.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using amis::encode::append_json_number;
using amis::encode::append_json_string;

namespace {
std::string as_json(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}
}  // namespace

TEST(JsonString, EscapesWhatRfc8259Requires) {
  EXPECT_EQ(as_json("a\"b\\c\n\t\x01"), R"("a\"b\\c\n\t\u0001")");
}

TEST(JsonString, KeepsValidUtf8AndRoundTrips) {
  const std::string chinese = "\xe7\x99\xbd\xe9\xbe\x99\xe5\xb1\xb1";  // 白龙山
  EXPECT_EQ(nlohmann::json::parse(as_json(chinese)).get<std::string>(), chinese);
}

TEST(JsonString, ReplacesInvalidUtf8SoTheDocumentStaysValid) {
  const std::string bad = "ok\xff\xc3(\xed\xa0\x80";  // stray byte, truncated, surrogate
  const auto parsed = nlohmann::json::parse(as_json(bad));  // throws on invalid UTF-8
  EXPECT_EQ(parsed.get<std::string>().substr(0, 2), "ok");
}

TEST(JsonNumber, ShortestRoundTripAndNullForNonFinite) {
  for (double v : {0.1, 104.3192826, -1e-300, 123456789.125, 1.0 / 3}) {
    std::string s;
    append_json_number(s, v);
    EXPECT_EQ(std::stod(s), v) << s;
  }
  std::string s;
  append_json_number(s, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(s, "null");
}

TEST(JsonNumber, WholeRealsKeepADecimalPointSoClientsTypeThemAsReals) {
  std::string s;
  append_json_number(s, 25.0);
  EXPECT_EQ(s, "25.0");
  s.clear();
  append_json_number(s, 1e300);
  EXPECT_EQ(s, "1e+300");
  s.clear();
  append_json_number(s, std::int64_t{25});
  EXPECT_EQ(s, "25");
}
