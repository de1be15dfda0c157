#pragma once
// Walking a libxml2 tree by local names (the harvested documents' prefixes are
// the node's choice, so names are matched without them).
#include <libxml/tree.h>

#include <string>
#include <vector>

namespace amis::federation::xml {

using Node = const xmlNode*;

inline bool is(Node n, const char* local) {
  return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, reinterpret_cast<const xmlChar*>(local));
}

inline Node child(Node n, const char* local) {
  for (Node c = n ? n->children : nullptr; c; c = c->next)
    if (is(c, local)) return c;
  return nullptr;
}

inline std::vector<Node> children(Node n, const char* local) {
  std::vector<Node> out;
  for (Node c = n ? n->children : nullptr; c; c = c->next)
    if (is(c, local)) out.push_back(c);
  return out;
}

// The element's text, trimmed; empty for no element.
inline std::string text(Node n) {
  if (!n) return {};
  xmlChar* t = xmlNodeGetContent(n);
  std::string s = t ? reinterpret_cast<const char*>(t) : "";
  xmlFree(t);
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

inline std::string attribute(Node n, const char* name) {
  if (!n) return {};
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

}  // namespace amis::federation::xml
