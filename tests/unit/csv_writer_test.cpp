// CSV cells a spreadsheet would run as formulas get a quote first; numbers stay numbers.
#include "encode/csv_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/byte_sink.hpp"
#include "core/collection.hpp"
#include "core/feature.hpp"

namespace {

using amis::core::Value;

// The CSV line of one feature with a text and a real property (the line after the header).
std::string row(std::string_view text, double real = 1.5) {
  amis::core::Collection c;
  c.id = "notes";
  c.properties = {{"note", amis::core::PropertyType::Text}, {"balance", amis::core::PropertyType::Real}};
  std::string out;
  amis::core::StringSink sink(out);
  amis::encode::CsvFeatureWriter w(sink);
  w.begin(c);
  const std::vector<Value> values = {{Value::Kind::Text, 0, 0, text}, {Value::Kind::Real, 0, real, {}}};
  w.feature({7, {}, values});
  w.end();
  const auto first = out.find("\r\n");
  return out.substr(first + 2, out.size() - first - 4);
}

TEST(CsvFormulas, TextBeginningAsAFormulaGetsAQuote) {
  EXPECT_EQ(row("=1+1"), ",7,'=1+1,1.5");
  EXPECT_EQ(row("+cmd"), ",7,'+cmd,1.5");
  EXPECT_EQ(row("-2+3"), ",7,'-2+3,1.5");
  EXPECT_EQ(row("@SUM(A1)"), ",7,'@SUM(A1),1.5");
  EXPECT_EQ(row("\t=1"), ",7,'\t=1,1.5");
  EXPECT_EQ(row("\r=1"), ",7,\"'\r=1\",1.5");           // quoted for the carriage return as well
  EXPECT_EQ(row("=A1,\"x\""), ",7,\"'=A1,\"\"x\"\"\",1.5");  // and for the comma and quotes
  EXPECT_EQ(row("-"), ",7,'-,1.5");
}

TEST(CsvFormulas, NumbersAndPlainTextStayAsTheyAre) {
  EXPECT_EQ(row("plain"), ",7,plain,1.5");
  EXPECT_EQ(row("a = b"), ",7,a = b,1.5");
  EXPECT_EQ(row("-12.5"), ",7,-12.5,1.5");
  EXPECT_EQ(row("+7"), ",7,+7,1.5");
  EXPECT_EQ(row("-1e-3"), ",7,-1e-3,1.5");
  EXPECT_EQ(row("-.5"), ",7,-.5,1.5");
  EXPECT_EQ(row("x", -3.25), ",7,x,-3.25");  // a negative number is a number
  EXPECT_EQ(row("-1e"), ",7,'-1e,1.5");
  EXPECT_EQ(row("-1-1"), ",7,'-1-1,1.5");
}

}  // namespace
