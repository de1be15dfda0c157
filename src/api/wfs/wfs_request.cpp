#include "api/wfs/wfs_request.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <utility>

#include "core/error.hpp"
#include "encode/gml_writer.hpp"
#include "query/xml_document.hpp"

namespace amis::api::wfs {
namespace {

using query::child_element;
using query::local_name;

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "a,b,(c,d)" → {"a", "b", "c", "d"}; parentheses group per type name and are dropped.
std::vector<std::string> split_list(std::string_view text, bool xml_list = false) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    // Commas separate KVP list items; XML attributes such as Query/@typeNames are
    // xsd:lists separated by whitespace.
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (c == ',' || c == '(' || c == ')' || (xml_list && space)) {
      while (!current.empty() && std::isspace(static_cast<unsigned char>(current.back()))) current.pop_back();
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else if (!space || !current.empty()) {
      current += c;
    }
  }
  while (!current.empty() && std::isspace(static_cast<unsigned char>(current.back()))) current.pop_back();
  if (!current.empty()) out.push_back(current);
  return out;
}

// NAMESPACES=xmlns(m,https://...),xmlns(n,...) (2.0) or xmlns(m=https://...) (1.1):
// the prefixes bound to the amis namespace.
std::vector<std::string> amis_prefixes_of(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const auto open = text.find("xmlns(");
    if (open == std::string_view::npos) break;
    const auto close = text.find(')', open);
    if (close == std::string_view::npos) break;
    const auto inner = text.substr(open + 6, close - open - 6);
    const auto sep = inner.find_first_of(",=");
    if (sep != std::string_view::npos && inner.substr(sep + 1) == encode::kAmisNamespace)
      out.emplace_back(inner.substr(0, sep));
    text.remove_prefix(close + 1);
  }
  return out;
}

// xmlns:p="<amis namespace>" declarations on an element.
void collect_prefixes(const pugi::xml_node& node, std::vector<std::string>& out) {
  for (auto a : node.attributes()) {
    const std::string_view name = a.name();
    if (name.starts_with("xmlns:") && std::string_view(a.value()) == encode::kAmisNamespace)
      out.emplace_back(name.substr(6));
  }
}

std::string element_text(const pugi::xml_node& node) {
  std::string_view t = node.child_value();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return std::string(t);
}

std::string serialize(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw);
  return out.str();
}

// Query (or the Query of GetPropertyValue) → the KVP fields.
void read_query(const pugi::xml_node& query, WfsRequest& r) {
  std::string types = query.attribute("typeNames").value();
  if (types.empty()) types = query.attribute("typeName").value();  // WFS 1.1
  for (auto& t : split_list(types, /*xml_list=*/true)) r.type_names.push_back(t);
  r.srs_name = query.attribute("srsName").value();
  collect_prefixes(query, r.amis_prefixes);
  for (auto child : query.children()) {
    if (child.type() != pugi::node_element) continue;
    const auto name = local_name(child);
    if (name == "PropertyName" || name == "ValueReference") {
      r.property_names.push_back(element_text(child));
    } else if (name == "Filter") {
      r.filter = serialize(child);
    } else if (name == "SortBy") {
      for (auto key : child.children()) {
        if (key.type() != pugi::node_element) continue;
        std::string property = element_text(child_element(key, "ValueReference"));
        if (property.empty()) property = element_text(child_element(key, "PropertyName"));
        const std::string order = element_text(child_element(key, "SortOrder"));
        if (!r.sortby.empty()) r.sortby += ',';
        r.sortby += property + (order.empty() ? "" : " " + order);
      }
    } else {
      throw core::ParsingFailed("Query", "unexpected element '" + std::string(child.name()) + "' in a Query");
    }
  }
}

}  // namespace

WfsRequest parse_kvp_request(const http::Request& request) {
  WfsRequest r;
  // Parameter (aliases merged) → the value it was first given.
  std::vector<std::pair<std::string, std::string>> seen;
  for (const auto& [raw_name, value] : request.query) {
    std::string name = upper(raw_name);
    // Aliases of one parameter (WFS 1.1 and 2.0 spellings) count as the same name.
    std::string key = name == "TYPENAME" ? "TYPENAMES" : name == "MAXFEATURES" ? "COUNT"
                    : name == "FEATUREID" ? "RESOURCEID" : name;
    const auto earlier = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == key; });
    if (earlier != seen.end()) {
      // Clients such as QGIS 3.22 send TYPENAMES and TYPENAME together: a repetition that
      // agrees says nothing new; one that contradicts cannot be answered.
      if (earlier->second == value) continue;
      throw core::InvalidParameter(raw_name, "given more than once with different values ('" +
                                                 earlier->second + "' and '" + value + "')");
    }
    seen.emplace_back(key, value);
    if (name == "REQUEST") r.operation = value;
    else if (name == "VERSION") r.version = value;
    else if (name == "ACCEPTVERSIONS") r.accept_versions = value;
    else if (name == "SERVICE") r.service = value;
    else if (name == "TYPENAMES" || name == "TYPENAME") r.type_names = split_list(value);
    else if (name == "SRSNAME") r.srs_name = value;
    else if (name == "BBOX") r.bbox = value;
    else if (name == "FILTER") r.filter = value;
    else if (name == "RESOURCEID" || name == "FEATUREID") r.resource_id = value;
    else if (name == "SORTBY") r.sortby = value;
    else if (name == "PROPERTYNAME") r.property_names = split_list(value);
    else if (name == "VALUEREFERENCE") r.value_reference = value;
    else if (name == "OUTPUTFORMAT") r.output_format = value;
    else if (name == "RESULTTYPE") r.result_type = value;
    else if (name == "COUNT" || name == "MAXFEATURES") r.count = value;
    else if (name == "STARTINDEX") r.start_index = value;
    else if (name == "STOREDQUERY_ID") r.stored_query_id = value;
    else if (name == "STOREDQUERY_IDS" || name == "STOREDQUERYID") r.stored_query_ids = split_list(value);
    else if (name == "ID") r.id = value;
    else if (name == "NAMESPACES") r.amis_prefixes = amis_prefixes_of(value);
    // Other parameters (NAMESPACES, FILTER_LANGUAGE, vendor ones) are ignored, as
    // OWS Common asks of servers.
  }
  return r;
}

WfsRequest parse_xml_request(std::string_view body) {
  pugi::xml_document doc;
  query::parse_xml(doc, body, "request");
  const auto root = doc.document_element();
  WfsRequest r;
  r.xml = true;
  r.operation = std::string(local_name(root));
  r.service = root.attribute("service").value();
  r.version = root.attribute("version").value();
  collect_prefixes(root, r.amis_prefixes);
  if (r.operation == "GetCapabilities") {
    for (auto v : child_element(root, "AcceptVersions").children())
      if (v.type() == pugi::node_element) r.accept_versions += (r.accept_versions.empty() ? "" : ",") + element_text(v);
    return r;
  }
  if (r.operation == "DescribeFeatureType") {
    for (auto child : root.children())
      if (child.type() == pugi::node_element && local_name(child) == "TypeName")
        r.type_names.push_back(element_text(child));
    r.output_format = root.attribute("outputFormat").value();
    return r;
  }
  if (r.operation == "GetFeature" || r.operation == "GetPropertyValue") {
    if (auto a = root.attribute("count")) r.count = a.value();
    else if (auto m = root.attribute("maxFeatures")) r.count = m.value();
    if (auto a = root.attribute("startIndex")) r.start_index = a.value();
    r.result_type = root.attribute("resultType").value();
    r.output_format = root.attribute("outputFormat").value();
    r.value_reference = root.attribute("valueReference").value();
    int queries = 0;
    for (auto child : root.children()) {
      if (child.type() != pugi::node_element) continue;
      const auto name = local_name(child);
      if (name == "Query") {
        if (++queries > 1)
          throw core::OgcError(400, "OptionNotSupported", "one Query per GetFeature request is supported", "Query");
        read_query(child, r);
      } else if (name == "StoredQuery") {
        r.stored_query_id = child.attribute("id").value();
        for (auto p : child.children())
          if (p.type() == pugi::node_element && upper(p.attribute("name").value()) == "ID") r.id = element_text(p);
      } else {
        throw core::ParsingFailed(r.operation, "unexpected element '" + std::string(child.name()) + "'");
      }
    }
    return r;
  }
  if (r.operation == "DescribeStoredQueries") {
    for (auto child : root.children())
      if (child.type() == pugi::node_element && local_name(child) == "StoredQueryId")
        r.stored_query_ids.push_back(element_text(child));
    return r;
  }
  return r;  // ListStoredQueries, Transaction and unknown operations: decided by the service
}

}  // namespace amis::api::wfs
