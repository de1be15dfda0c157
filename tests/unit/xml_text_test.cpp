#include "encode/xml_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>

using amis::encode::append_xml_number;
using amis::encode::append_xml_text;
using amis::encode::xml_name;

namespace {

const std::string kReplacement = "\xEF\xBF\xBD";                      // U+FFFD
const std::string kChinese = "\xe7\x99\xbd\xe9\xbe\x99\xe5\xb1\xb1";  // 白龙山

std::string escaped(std::string_view text) {
  std::string out;
  append_xml_text(out, text);
  return out;
}

std::string number(double v) {
  std::string out;
  append_xml_number(out, v);
  return out;
}

// nlohmann's parser checks UTF-8 strictly (overlong forms, surrogates, range):
// an independent check. The text must hold no '"' or '\' (escaped ones do not).
bool is_valid_utf8(const std::string& text) {
  try {
    return nlohmann::json::parse("\"" + text + "\"").is_string();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// One UTF-8 sequence at s[i] into cp; its length, 0 when invalid.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80             ? 1
                        : (c & 0xE0) == 0xC0 ? 2
                        : (c & 0xF0) == 0xE0 ? 3
                        : (c & 0xF8) == 0xF0 ? 4
                                             : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? std::uint32_t{c} : (c & (0x7Fu >> n));
  for (std::size_t k = 1; k < n; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  return n;
}

// XML 1.0 (fifth edition) NameStartChar and NameChar.
bool name_start_char(std::uint32_t c) {
  return (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
bool name_char(std::uint32_t c) {
  return name_start_char(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

// An NCName (Namespaces in XML): a Name without ':', in valid UTF-8.
bool is_ncname(const std::string& s) {
  if (s.empty() || !is_valid_utf8(s)) return false;
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = decode(s, i, cp);
    if (n == 0 || !(i == 0 ? name_start_char(cp) : name_char(cp))) return false;
    i += n;
  }
  return true;
}

}  // namespace

TEST(XmlText, EscapesTheFiveMarkupCharacters) {
  EXPECT_EQ(escaped(R"(a&b<c>d"e'f)"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
}

TEST(XmlText, KeepsTabNewlineAndCarriageReturnAsCharacterReferences) {
  // As references they survive attribute-value normalisation and end-of-line handling.
  EXPECT_EQ(escaped("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
}

TEST(XmlText, ReplacesCharactersXml10Forbids) {
  const std::string controls = std::string("a") + '\0' + "b" + '\x01' + "c" + '\x1f' + "d";
  EXPECT_EQ(escaped(controls), "a" + kReplacement + "b" + kReplacement + "c" + kReplacement + "d");
  EXPECT_EQ(escaped("\xEF\xBF\xBE"), kReplacement);  // U+FFFE
  EXPECT_EQ(escaped("\xEF\xBF\xBF"), kReplacement);  // U+FFFF
}

TEST(XmlText, KeepsValidUtf8) {
  for (const std::string& text :
       {kChinese, std::string("\xc4\x90\xe1\xbb\x93ng Nai"), std::string("\xf0\x9f\x98\x80")})
    EXPECT_EQ(escaped(text), text);
}

TEST(XmlText, ReplacesInvalidUtf8SoTheDocumentStaysWellFormed) {
  const char* const bad[] = {
      "ok\xff",              // a byte that never starts a sequence
      "ok\xc3(",             // a truncated sequence
      "ok\x80",              // a lone continuation byte
      "ok\xed\xa0\x80",      // a UTF-16 surrogate
      "ok\xf4\x90\x80\x80",  // beyond U+10FFFF
      "ok\xe7\x99",          // truncated at the end
  };
  for (const char* text : bad) {
    const std::string out = escaped(text);
    EXPECT_TRUE(is_valid_utf8(out)) << text;
    EXPECT_EQ(out.substr(0, 2), "ok");
    EXPECT_NE(out.find(kReplacement), std::string::npos) << out;
  }
  EXPECT_EQ(escaped("ok\xff"), "ok" + kReplacement);
}

TEST(XmlText, OverlongEncodingsNeverBecomeMarkup) {
  const std::string out = escaped("\xc0\xbc script \xe0\x80\xbc");  // overlong forms of '<'
  EXPECT_TRUE(is_valid_utf8(out)) << out;
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('\xc0'), std::string::npos);
}

TEST(XmlText, RoundTripsThroughAnXmlParserInTextAndAttributes) {
  const std::string text = "Tom & \"Jerry\" <'cat'>\t\n\r" + kChinese;
  std::string document = "<a x=\"";
  append_xml_text(document, text);
  document += "\">";
  append_xml_text(document, text);
  document += "</a>";
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(document.c_str())) << document;
  EXPECT_EQ(std::string(doc.child("a").attribute("x").value()), text);
  EXPECT_EQ(std::string(doc.child("a").child_value()), text);
}

TEST(XmlName, AsciiNamesBecomeNcNames) {
  EXPECT_EQ(xml_name("name"), "name");
  EXPECT_EQ(xml_name("capacity_mtpa"), "capacity_mtpa");
  EXPECT_EQ(xml_name("1abc"), "_1abc");
  EXPECT_EQ(xml_name("a b"), "a_b");
  EXPECT_EQ(xml_name("a:b"), "a_b");
  EXPECT_EQ(xml_name("Area (km2)"), "Area__km2_");
  EXPECT_EQ(xml_name(""), "_");
  EXPECT_EQ(xml_name("-x"), "_-x");
  EXPECT_EQ(xml_name(".x"), "_.x");
  EXPECT_EQ(xml_name(kChinese), kChinese);
  for (const char* name :
       {"name", "1abc", "a b", "a:b", "Area (km2)", "", "-x", ".x", "a<b>&\"'", "x\ty"})
    EXPECT_TRUE(is_ncname(xml_name(name))) << name << " -> " << xml_name(name);
}

// Column names of imported files often hold units and symbols: km², °, a no-break
// space. Kept as they are they make element names no XML parser accepts.
TEST(XmlName, NonAsciiCharactersThatAreNotNameCharactersAreReplacedToo) {
  const char* const names[] = {
      "Area (km\u00B2)",  // superscript two
      "Dip (\u00B0)",     // degree sign
      "a\u00A0b",         // no-break space
      "grade\u2014cu",    // em dash
      "\u00B7x",          // a middle dot may not start a name
      "\u00D7",           // multiplication sign
      "bad\xff",          // not UTF-8
  };
  for (const char* name : names)
    EXPECT_TRUE(is_ncname(xml_name(name))) << name << " -> " << xml_name(name);
}

TEST(XmlNumber, ShortestTextThatReadsBackTheSameDouble) {
  for (double v : {0.1, 104.3192826, -1e-300, 123456789.125, 1.0 / 3, 1e21, -0.25}) {
    const std::string s = number(v);
    EXPECT_EQ(std::stod(s), v) << s;
  }
  EXPECT_EQ(number(25.0), "25");  // xs:double needs no decimal point
  EXPECT_EQ(number(0.5), "0.5");
}

TEST(XmlNumber, NonFiniteValuesUseTheXsDoubleSpellings) {
  EXPECT_EQ(number(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(number(std::numeric_limits<double>::infinity()), "INF");
  EXPECT_EQ(number(-std::numeric_limits<double>::infinity()), "-INF");
}
