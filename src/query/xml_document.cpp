#include "query/xml_document.hpp"

#include <string>

#include "core/error.hpp"

namespace amis::query {

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
