#include "query/xml_document.hpp"

#include <string>

#include "core/error.hpp"

namespace amis::query {
namespace {

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

void parse_xml(pugi::xml_document& doc, std::string_view text, const char* locator) {
  if (text.size() > kMaxXmlBytes)
    throw core::ParsingFailed(locator, "the XML document is larger than " +
                                           std::to_string(kMaxXmlBytes / 1024) + " KiB");
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
