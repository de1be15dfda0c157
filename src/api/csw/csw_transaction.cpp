#include "api/csw/csw_transaction.hpp"

#include <charconv>
#include <pugixml.hpp>
#include <sstream>

#include "core/error.hpp"
#include "query/xml_document.hpp"

namespace amis::api::csw {
namespace {

using query::child_element;
using query::local_name;

std::string trimmed(const pugi::xml_node& node) {
  std::string_view s = node.child_value();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<pugi::xml_node> elements(const pugi::xml_node& parent) {
  std::vector<pugi::xml_node> out;
  for (auto child : parent.children())
    if (child.type() == pugi::node_element) out.push_back(child);
  return out;
}

// The element as a document of its own: the namespace declarations in scope
// where it stood (on its ancestors) are declared on it.
std::string standalone(const pugi::xml_node& element) {
  pugi::xml_document doc;
  pugi::xml_node copy = doc.append_copy(element);
  for (auto ancestor = element.parent(); ancestor && ancestor.type() == pugi::node_element;
       ancestor = ancestor.parent())
    for (auto a : ancestor.attributes()) {
      const std::string_view name = a.name();
      if ((name == "xmlns" || name.starts_with("xmlns:")) && !copy.attribute(a.name()))
        copy.append_attribute(a.name()) = a.value();
    }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

// Two numbers of an ows:LowerCorner/UpperCorner.
std::pair<double, double> corner(const pugi::xml_node& node, const char* name) {
  const std::string text = trimmed(node);
  double a = 0, b = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  auto r = std::from_chars(p, end, a);
  p = r.ptr;
  while (p < end && std::isspace(static_cast<unsigned char>(*p))) ++p;
  auto r2 = std::from_chars(p, end, b);
  if (r.ec != std::errc{} || r2.ec != std::errc{} || r2.ptr != end)
    throw core::InvalidValue(name, std::string("ows:") + name + " is two numbers");
  return {a, b};
}

std::optional<core::Envelope> bounding_box(const pugi::xml_node& record) {
  for (auto box : elements(record)) {
    const auto name = local_name(box);
    if (name != "BoundingBox" && name != "WGS84BoundingBox") continue;
    const auto lower = corner(child_element(box, "LowerCorner"), "LowerCorner");
    const auto upper = corner(child_element(box, "UpperCorner"), "UpperCorner");
    const std::string crs = box.attribute("crs").value();
    // EPSG:4326 (in any of its URN and URL spellings) is latitude, longitude.
    const bool lat_lon = name == "BoundingBox" && crs.find("4326") != std::string::npos;
    if (lat_lon) return core::Envelope{lower.second, lower.first, upper.second, upper.first};
    return core::Envelope{lower.first, lower.second, upper.first, upper.second};
  }
  return std::nullopt;
}

void add_party(catalog::Record& r, const std::string& organisation, const char* role) {
  if (organisation.empty()) return;
  catalog::ResponsibleParty p;
  p.organisation = organisation;
  p.role = role;
  r.contacts.push_back(std::move(p));
}

// csw:Insert/csw:Update children: each an ISO document or a Dublin Core record.
std::vector<TransactionRecord> records_of(const pugi::xml_node& action) {
  std::vector<TransactionRecord> out;
  for (auto child : elements(action)) {
    const auto name = local_name(child);
    if (name == "MD_Metadata")
      out.push_back({standalone(child), std::nullopt});
    else if (name == "Record" || name == "SummaryRecord" || name == "BriefRecord")
      out.push_back({"", read_dublin_core(child)});
    else if (name == "RecordProperty" || name == "Constraint")
      throw core::OgcError(400, "OperationNotSupported",
                           "csw:Update of record properties is not offered: send the whole record",
                           "Update");
    else
      throw core::InvalidValue(std::string(name),
                               "a csw:" + std::string(local_name(action)) +
                                   " holds gmd:MD_Metadata or csw:Record elements, not " +
                                   std::string(name).substr(0, 60));
  }
  if (out.empty())
    throw core::ParsingFailed(std::string(local_name(action)), "the action holds no record");
  return out;
}

}  // namespace

catalog::Record read_dublin_core(const pugi::xml_node& record) {
  catalog::Record r;
  std::vector<std::string> subjects;
  for (auto e : elements(record)) {
    const auto name = local_name(e);
    const std::string value = trimmed(e);
    if (name == "identifier" && r.id.empty())
      r.id = value;
    else if (name == "title" && r.title.empty())
      r.title = value;
    else if ((name == "abstract" || name == "description") && r.abstract.empty())
      r.abstract = value;
    else if (name == "subject" && !value.empty())
      subjects.push_back(value);
    else if (name == "type" && !value.empty())
      r.type = value;
    else if (name == "language" && !value.empty())
      r.language = value;
    else if (name == "date" || name == "created")
      r.created = value;
    else if (name == "modified")
      r.revised = value;
    else if (name == "issued")
      r.published = value;
    else if (name == "license" || name == "rights")
      r.licence = r.licence.empty() ? value : r.licence;
    else if (name == "accessRights" && !value.empty())
      r.constraints.push_back(value);
    else if (name == "creator")
      add_party(r, value, "originator");
    else if (name == "publisher")
      add_party(r, value, "publisher");
    else if (name == "contributor")
      add_party(r, value, "author");
    else if (name == "source")
      r.lineage = value;
    else if (name == "references" && !value.empty())
      r.links.push_back({value, "related", "", e.attribute("scheme").value(), "", "", ""});
  }
  if (!subjects.empty()) r.keywords.push_back({subjects, "", "", ""});
  r.extent = bounding_box(record);
  return r;
}

CswTransaction parse_transaction(std::string_view body) {
  pugi::xml_document doc;
  query::parse_xml(doc, body, "request");
  const pugi::xml_node root = doc.document_element();
  if (local_name(root) != "Transaction")
    throw core::ParsingFailed("request", "a csw:Transaction expected");
  CswTransaction t;
  t.request_id = root.attribute("requestId").value();
  std::size_t records = 0;
  for (auto action : elements(root)) {
    const auto name = local_name(action);
    TransactionAction a;
    a.handle = action.attribute("handle").value();
    if (name == "Insert" || name == "Update") {
      a.operation = name == "Insert" ? edit::Operation::Insert : edit::Operation::Replace;
      a.records = records_of(action);
      records += a.records.size();
    } else if (name == "Delete") {
      a.operation = edit::Operation::Delete;
      auto constraint = child_element(action, "Constraint");
      if (!constraint) throw core::ParsingFailed("Delete", "a csw:Delete holds a csw:Constraint");
      read_csw_constraint(constraint, a.constraint);
      const std::string type_name = action.attribute("typeName").value();
      a.constraint.type_names = {type_name.empty() ? std::string("csw:Record") : type_name};
    } else {
      throw core::ParsingFailed(std::string(name).substr(0, 60),
                                "a csw:Transaction holds Insert, Update and Delete");
    }
    if (records > kMaxTransactionRecords || t.actions.size() >= kMaxTransactionRecords)
      throw core::InvalidValue("Transaction",
                               "at most " + std::to_string(kMaxTransactionRecords) + " records");
    t.actions.push_back(std::move(a));
  }
  if (t.actions.empty())
    throw core::ParsingFailed("Transaction", "the transaction holds no action");
  return t;
}

}  // namespace amis::api::csw
