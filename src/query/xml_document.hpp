#pragma once
// Reading XML request documents (WFS POST bodies, FES filters, later SLD and CSW)
// safely: no DTD is accepted, so no entity is ever expanded or fetched (no XXE,
// no billion laughs), and the size is bounded before parsing.
#include <pugixml.hpp>
#include <string_view>

namespace amis::query {

inline constexpr std::size_t kMaxXmlBytes = 1024 * 1024;

// @throws core::ParsingFailed(locator, ...) for a malformed document, a DTD or
// one larger than `max_bytes` (a request's kMaxXmlBytes; a node's page of features more).
void parse_xml(pugi::xml_document& doc, std::string_view text, const char* locator,
               std::size_t max_bytes = kMaxXmlBytes);

// The element name without its namespace prefix ("fes:Filter" → "Filter").
std::string_view local_name(const pugi::xml_node& node);

// The first child element with that local name, or an empty node.
pugi::xml_node child_element(const pugi::xml_node& node, std::string_view local);

}  // namespace amis::query
