#pragma once
// The pieces of XML text the streaming encoders write by hand.
#include <cstdint>
#include <string>
#include <string_view>

namespace amis::encode {

// Appends `text` escaped for element content and attribute values (&, <, >, ", ').
// Invalid UTF-8 and characters XML 1.0 forbids become U+FFFD, so the document
// always parses.
void append_xml_text(std::string& out, std::string_view text);

// Appends <name>text</name>, the text escaped as above.
void append_xml_element(std::string& out, std::string_view name, std::string_view text);

// The shortest text that reads back as the same double (xs:double lexical form).
void append_xml_number(std::string& out, double value);

// `name` if it is an XML NCName, else a valid one made from it (invalid
// characters become '_', a leading digit gets a '_' before it). Property names
// from imported files become element names this way.
std::string xml_name(std::string_view name);

}  // namespace amis::encode
