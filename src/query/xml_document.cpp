#include "query/xml_document.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace amis::query {
namespace {

// XML 1.0 (2.2): Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// XML 1.0 (4.1, WFC "Legal Character"): "&#0;" and "&#x1;" name no character a
// document may hold, so the document is not well-formed. pugixml would turn them
// into a NUL (which cuts the text short: "A&#0;B" was stored as "A") or a control
// character; they are refused with the reference shown. `reference` starts at '&'.
void refuse_forbidden_character_reference(std::string_view reference, const char* locator) {
  const bool hex = reference.size() > 2 && reference[2] == 'x';
  const std::string_view digits = reference.substr(hex ? 3 : 2);
  std::uint64_t code = 0;
  std::size_t n = 0;
  for (; n < digits.size() && digits[n] != ';'; ++n) {
    const char c = digits[n];
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : hex && std::isxdigit(static_cast<unsigned char>(c))
                      ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                      : -1;
    if (d < 0) break;
    code = std::min<std::uint64_t>(code * (hex ? 16 : 10) + static_cast<unsigned>(d), 0x110000);
  }
  const bool terminated = n < digits.size() && digits[n] == ';';
  if (n == 0 || !terminated)
    throw core::ParsingFailed(locator, "the XML holds a malformed character reference '" +
                                           std::string(reference.substr(0, 12)) + "'");
  if (!xml_char(static_cast<std::uint32_t>(code)))
    throw core::ParsingFailed(locator, "the XML refers to a character XML 1.0 does not allow ('" +
                                           std::string(reference.substr(0, 12)) + "'): not well-formed");
}

// Characters below U+0020 other than tab, line feed and carriage return are not
// XML characters either, written as themselves.
void refuse_control_characters(std::string_view text, const char* locator) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 || c == 0x9 || c == 0xA || c == 0xD) continue;
    static constexpr char kHex[] = "0123456789ABCDEF";
    const std::string code = {'U', '+', '0', '0', kHex[c >> 4], kHex[c & 15]};
    throw core::ParsingFailed(locator, "the XML holds the control character " + code + " at byte " + std::to_string(i) +
                                           ", which XML 1.0 does not allow");
  }
}

// XML 1.0 (4.1, WFC "Entity Declared"): without a DTD only the five predefined
// entities exist. pugixml leaves any other reference as text; it is refused
// here so that "&xxe;" is never stored as if it were data.
void refuse_undeclared_entities(std::string_view text, const char* locator) {
  static constexpr std::string_view kPredefined[] = {"amp", "lt", "gt", "quot", "apos"};
  std::size_t i = 0;
  while ((i = text.find_first_of("&<", i)) != std::string_view::npos) {
    if (text[i] == '<') {  // skip CDATA sections and comments, whose '&' is text
      const bool cdata = text.substr(i, 9) == "<![CDATA[";
      const bool comment = !cdata && text.substr(i, 4) == "<!--";
      if (cdata || comment) {
        const auto end = text.find(cdata ? "]]>" : "-->", i);
        if (end == std::string_view::npos) return;  // unterminated: pugixml reports it
        i = end + 3;
      } else {
        ++i;
      }
      continue;
    }
    const auto semicolon = text.find(';', i);
    if (i + 1 < text.size() && text[i + 1] == '#') {
      refuse_forbidden_character_reference(text.substr(i, semicolon == std::string_view::npos ? 12 : semicolon - i + 1),
                                           locator);
      ++i;
      continue;
    }
    const auto name = semicolon == std::string_view::npos ? std::string_view() : text.substr(i + 1, semicolon - i - 1);
    bool known = false;
    for (auto p : kPredefined) known = known || name == p;
    if (!known)
      throw core::ParsingFailed(locator, "the XML refers to an undeclared entity '&" +
                                             std::string(name.substr(0, 40)) + ";' (only &amp; &lt; &gt; &quot; "
                                             "&apos; and character references exist without a DTD)");
    i = semicolon + 1;
  }
}

}  // namespace

void parse_xml(pugi::xml_document& doc, std::string_view text, const char* locator, std::size_t max_bytes) {
  if (text.size() > max_bytes)
    throw core::ParsingFailed(locator, "the XML document is larger than " +
                                           std::to_string(max_bytes / 1024) + " KiB");
  refuse_control_characters(text, locator);
  // parse_doctype keeps a DOCTYPE as a node so that it can be refused; pugixml
  // never expands custom entities or reads external ones either way.
  const auto result = doc.load_buffer(text.data(), text.size(),
                                      pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
  if (!result)
    throw core::ParsingFailed(locator, std::string("the XML cannot be read: ") + result.description() +
                                           " at byte " + std::to_string(result.offset));
  for (auto node : doc.children())
    if (node.type() == pugi::node_doctype)
      throw core::ParsingFailed(locator, "XML documents with a DOCTYPE (DTD) are not accepted");
  if (!doc.document_element()) throw core::ParsingFailed(locator, "the XML document has no root element");
  refuse_undeclared_entities(text, locator);
}

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_element(const pugi::xml_node& node, std::string_view local) {
  for (auto child : node.children())
    if (child.type() == pugi::node_element && local_name(child) == local) return child;
  return {};
}

}  // namespace amis::query
