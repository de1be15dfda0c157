// The standard's own examples: each CQL2-Text file and the CQL2-JSON file of the
// same name must parse to the same tree (tests/data/cql2, from OGC's repository).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "query/cql2.hpp"

namespace fs = std::filesystem;
using amis::core::to_debug_string;

namespace {

const fs::path kData = fs::path(AMIS_TEST_DATA) / "cql2";

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> example_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kData / "text"))
    names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

class Cql2Example : public ::testing::TestWithParam<std::string> {};

TEST_P(Cql2Example, TextAndJsonParseToTheSameTree) {
  const std::string name = GetParam();
  // "example36-alt01" is another text spelling of example36.
  const std::string json_name = name.substr(0, name.find("-alt"));
  const auto text_tree = amis::query::parse_cql2_text(read(kData / "text" / (name + ".txt")));
  const auto json_tree = amis::query::parse_cql2_json(read(kData / "json" / (json_name + ".json")));
  EXPECT_EQ(to_debug_string(text_tree), to_debug_string(json_tree));
}

INSTANTIATE_TEST_SUITE_P(Standard, Cql2Example, ::testing::ValuesIn(example_names()),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (auto& c : n) if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(Cql2Text, PrecedenceAndFlattening) {
  EXPECT_EQ(to_debug_string(amis::query::parse_cql2_text("a=1 OR b=2 AND NOT c=3 AND d>4")),
            "or(=(property(a), 1), and(=(property(b), 2), not(=(property(c), 3)), >(property(d), 4)))");
  EXPECT_EQ(to_debug_string(amis::query::parse_cql2_text("x + 2 * y ^ 2 > -3")),
            ">(+(property(x), *(2, ^(property(y), 2))), -3)");
  EXPECT_EQ(to_debug_string(amis::query::parse_cql2_text("\"say \"\"hi\"\"\" = 'it''s'")),
            "=(property(say \"hi\"), \"it's\")");
}

TEST(Cql2Text, ErrorsSayWhereParsingFailed) {
  try {
    amis::query::parse_cql2_text("name = 'x' AND (depth > ");
    FAIL();
  } catch (const amis::core::InvalidParameter& e) {
    EXPECT_NE(std::string(e.what()).find("character 25"), std::string::npos) << e.what();
  }
  for (const char* bad : {"", "a =", "a = 'x", "a IN ()", "S_INTERSECTS(geom, POINT(1))",
                          "DATE('2020-13-01') = d", "a BETWEEN 1", "(((a=1)", "a = 1 b = 2"})
    EXPECT_THROW(amis::query::parse_cql2_text(bad), amis::core::InvalidParameter) << bad;
}

TEST(Cql2, HostileNestingIsRefusedNotOverflowingTheStack) {
  EXPECT_THROW(amis::query::parse_cql2_text(std::string(100000, '(') + "a=1"), amis::core::InvalidParameter);
  std::string deep = "a=1";
  for (int i = 0; i < 5000; ++i) deep = "NOT " + deep;
  EXPECT_THROW(amis::query::parse_cql2_text(deep), amis::core::InvalidParameter);
  EXPECT_THROW(amis::query::parse_cql2_json(std::string(100000, '[')), amis::core::InvalidParameter);
}

TEST(Cql2Json, RejectsMalformedDocuments) {
  for (const char* bad : {"", "{", "{\"op\": 1}", "{\"op\":\"=\",\"args\":{}}", "{\"foo\":1}",
                          "{\"op\":\"in\",\"args\":[{\"property\":\"a\"}, 1]}",
                          "{\"timestamp\":\"yesterday\"}", "{\"bbox\":[1,2,3]}"})
    EXPECT_THROW(amis::query::parse_cql2_json(bad), amis::core::InvalidParameter) << bad;
}

TEST(Cql2Json, NumbersBeyondDoubleAre400NotACrash) {
  // Found by cql2_json_fuzz (fuzz/regressions/cql2_json_number_out_of_range.json).
  EXPECT_THROW(amis::query::parse_cql2_json(R"({"op":"=","args":[{"property":"a"},6e3333]})"),
               amis::core::InvalidParameter);
}
