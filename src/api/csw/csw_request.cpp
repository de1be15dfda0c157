#include "api/csw/csw_request.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/error.hpp"
#include "query/xml_document.hpp"

namespace amis::api::csw {
namespace {

using query::child_element;
using query::local_name;

constexpr std::size_t kMaxListItems = 1000;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return std::string(t);
}

// "a,b c" → {"a", "b", "c"} (KVP lists are comma separated, XML lists by spaces).
std::vector<std::string> split_list(std::string_view text, const char* locator) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) out.push_back(current);
    current.clear();
  };
  for (char c : text) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) flush();
    else current += c;
  }
  flush();
  if (out.size() > kMaxListItems)
    throw core::InvalidParameter(locator, "at most " + std::to_string(kMaxListItems) + " items");
  return out;
}

// SortBy=dc:title:A,apiso:Modified:D (OGC 07-006r1, table 29).
std::vector<CswSortKey> parse_sort_by(std::string_view text) {
  std::vector<CswSortKey> out;
  for (auto& item : split_list(text, "sortBy")) {
    CswSortKey key{item, false};
    const auto colon = item.rfind(':');
    if (colon != std::string::npos) {
      const std::string order = item.substr(colon + 1);
      if (order == "A" || order == "D") {
        key.property = item.substr(0, colon);
        key.descending = order == "D";
      }
    }
    out.push_back(std::move(key));
  }
  return out;
}

std::string element_text(const pugi::xml_node& node) { return trim(node.child_value()); }

std::string serialize(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw);
  return out.str();
}

// The element with the namespaces its ancestors declared, so it reads the same alone
// (a constraint forwarded to another catalogue in a distributed search).
std::string serialize_with_namespaces(const pugi::xml_node& node) {
  pugi::xml_document copy;
  auto root = copy.append_copy(node);
  for (auto up = node.parent(); up; up = up.parent())
    for (auto attribute : up.attributes()) {
      const std::string_view name = attribute.name();
      if ((name == "xmlns" || name.starts_with("xmlns:")) && !root.attribute(attribute.name()))
        root.append_attribute(attribute.name()) = attribute.value();
    }
  return serialize(root);
}

void read_element_set(const pugi::xml_node& parent, CswRequest& r) {
  if (auto esn = child_element(parent, "ElementSetName")) r.element_set_name = element_text(esn);
  for (auto child : parent.children())
    if (child.type() == pugi::node_element && local_name(child) == "ElementName")
      r.element_names.push_back(element_text(child));
}

void read_constraint(const pugi::xml_node& constraint, CswRequest& r) {
  if (auto filter = child_element(constraint, "Filter")) {
    r.constraint_language = "FILTER";
    r.constraint = serialize_with_namespaces(filter);
  } else if (auto cql = child_element(constraint, "CqlText")) {
    r.constraint_language = "CQL_TEXT";
    r.constraint = element_text(cql);
  } else {
    throw core::ParsingFailed("Constraint", "a csw:Constraint holds an ogc:Filter or a csw:CqlText");
  }
}

void read_sort_by(const pugi::xml_node& sort_by, CswRequest& r) {
  for (auto key : sort_by.children()) {
    if (key.type() != pugi::node_element) continue;
    const std::string order = element_text(child_element(key, "SortOrder"));
    r.sort_by.push_back({element_text(child_element(key, "PropertyName")), order == "DESC" || order == "D"});
  }
}

void read_query(const pugi::xml_node& query, CswRequest& r) {
  r.type_names = split_list(query.attribute("typeNames").value(), "typeNames");
  read_element_set(query, r);
  if (auto constraint = child_element(query, "Constraint")) read_constraint(constraint, r);
  if (auto sort_by = child_element(query, "SortBy")) read_sort_by(sort_by, r);
}

void read_attributes(const pugi::xml_node& root, CswRequest& r) {
  r.service = root.attribute("service").value();
  r.version = root.attribute("version").value();
  r.output_schema = root.attribute("outputSchema").value();
  r.output_format = root.attribute("outputFormat").value();
  r.result_type = root.attribute("resultType").value();
  r.schema_language = root.attribute("schemaLanguage").value();
  if (auto a = root.attribute("startPosition")) r.start_position = a.value();
  if (auto a = root.attribute("maxRecords")) r.max_records = a.value();
}

}  // namespace

CswRequest parse_kvp_request(const http::Request& request) {
  CswRequest r;
  std::vector<std::pair<std::string, std::string>> seen;  // lower-case name → first value
  for (const auto& [raw_name, value] : request.query) {
    const std::string name = lower(raw_name);
    auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == name; });
    if (it != seen.end()) {
      if (it->second != value) throw core::InvalidParameter(raw_name, "given twice with different values");
      continue;
    }
    seen.emplace_back(name, value);
    if (name == "service") r.service = value;
    else if (name == "version") r.version = value;
    else if (name == "request") r.operation = value;
    else if (name == "acceptversions") r.accept_versions = value;
    else if (name == "acceptformats") r.accept_formats = value;
    else if (name == "typenames" || name == "typename") r.type_names = split_list(value, raw_name.c_str());
    else if (name == "elementsetname") r.element_set_name = value;
    else if (name == "elementname") r.element_names = split_list(value, "ElementName");
    else if (name == "outputschema") r.output_schema = value;
    else if (name == "outputformat") r.output_format = value;
    else if (name == "schemalanguage") r.schema_language = value;
    else if (name == "resulttype") r.result_type = value;
    else if (name == "startposition") r.start_position = value;
    else if (name == "maxrecords") r.max_records = value;
    else if (name == "constraintlanguage") r.constraint_language = value;
    else if (name == "constraint") r.constraint = value;
    else if (name == "sortby") r.sort_by = parse_sort_by(value);
    else if (name == "id") r.ids = split_list(value, "Id");
    else if (name == "parametername") r.parameter_name = value;
    else if (name == "propertyname") r.property_name = value;
    else if (name == "responsehandler") r.response_handler = value;
    else if (name == "distributedsearch") r.distributed_search = lower(value) == "true";
    else if (name == "hopcount") r.hop_count = value;
    else if (name == "deadline") r.deadline = value;
    // namespace, sections, constraint_language_version,
    // requestid, updatesequence, language, f: accepted, nothing to do with them.
  }
  return r;
}

void read_csw_constraint(const pugi::xml_node& constraint, CswRequest& r) { read_constraint(constraint, r); }

CswRequest parse_xml_request(std::string_view body) {
  pugi::xml_document doc;
  query::parse_xml(doc, body, "request");
  const pugi::xml_node root = doc.document_element();
  CswRequest r;
  r.xml = true;
  r.operation = std::string(local_name(root));
  read_attributes(root, r);
  if (r.operation == "GetCapabilities") {
    if (auto versions = child_element(root, "AcceptVersions"))
      for (auto v : versions.children())
        if (v.type() == pugi::node_element)
          r.accept_versions += (r.accept_versions.empty() ? "" : ",") + element_text(v);
  } else if (r.operation == "DescribeRecord") {
    for (auto t : root.children())
      if (t.type() == pugi::node_element && local_name(t) == "TypeName") r.type_names.push_back(element_text(t));
  } else if (r.operation == "GetRecords") {
    auto query = child_element(root, "Query");
    if (!query) throw core::ParsingFailed("Query", "a GetRecords request holds a csw:Query");
    read_query(query, r);
    if (auto distributed = child_element(root, "DistributedSearch")) {
      r.distributed_search = true;
      if (auto hop = distributed.attribute("hopCount")) r.hop_count = hop.value();
    }
    if (auto handler = child_element(root, "ResponseHandler")) r.response_handler = element_text(handler);
  } else if (r.operation == "GetRecordById") {
    for (auto id : root.children())
      if (id.type() == pugi::node_element && local_name(id) == "Id") r.ids.push_back(element_text(id));
    if (r.ids.size() > kMaxListItems)
      throw core::InvalidParameter("Id", "at most " + std::to_string(kMaxListItems) + " identifiers");
    read_element_set(root, r);
  } else if (r.operation == "GetDomain") {
    r.parameter_name = element_text(child_element(root, "ParameterName"));
    r.property_name = element_text(child_element(root, "PropertyName"));
  }
  // Transaction, Harvest and anything else: the service refuses them by name.
  return r;
}

}  // namespace amis::api::csw
