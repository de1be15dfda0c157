// query::parse_xml refuses what XML 1.0 forbids: references to characters outside
// Char, malformed references, control characters written as themselves.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "query/xml_document.hpp"

namespace {

std::string parsed_text(const std::string& inner) {
  pugi::xml_document doc;
  amis::query::parse_xml(doc, "<a>" + inner + "</a>", "test");
  return doc.document_element().child_value();
}

TEST(XmlCharacters, ForbiddenReferencesAreNotWellFormed) {
  for (const char* ref : {"&#0;", "&#x0;", "&#1;", "&#x8;", "&#xB;", "&#xC;", "&#x1F;", "&#xD800;", "&#xDFFF;",
                          "&#xFFFE;", "&#xFFFF;", "&#x110000;", "&#99999999999999999999;", "&#x;", "&#;", "&#12a;",
                          "&#X41;", "&#65"}) {
    try {
      parsed_text(std::string("A") + ref + "B");
      ADD_FAILURE() << ref << " was accepted";
    } catch (const amis::core::OgcError& e) {
      EXPECT_EQ(e.code(), "OperationParsingFailed") << ref;
      EXPECT_EQ(e.status(), 400) << ref;
    }
  }
}

TEST(XmlCharacters, ControlCharactersThemselvesAreNotWellFormed) {
  for (char c : {'\x01', '\x08', '\x0b', '\x1f'})
    EXPECT_THROW(parsed_text(std::string("A") + c + "B"), amis::core::OgcError) << int(c);
}

TEST(XmlCharacters, AllowedReferencesAreTheirCharacters) {
  EXPECT_EQ(parsed_text("t&#x9;l&#xA;c&#xD;s&#x20;e&#233;&#xE9;"), "t\tl\nc\rs e\xc3\xa9\xc3\xa9");
  EXPECT_EQ(parsed_text("&#x1F600;&#xFFFD;&#x10FFFF;"), "\xf0\x9f\x98\x80\xef\xbf\xbd\xf4\x8f\xbf\xbf");
  EXPECT_EQ(parsed_text("<![CDATA[&#0; is text here]]>"), "&#0; is text here");
}

}  // namespace
