#include "catalog/iso19139_reader.hpp"

#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>

#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::catalog {
namespace {

using Node = const xmlNode*;

const xmlChar* xml_chars(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

constexpr const char* kGmd = "http://www.isotc211.org/2005/gmd";

bool is(Node n, const char* local) {
  return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, xml_chars(local));
}

Node first_element(Node n) {
  for (Node c = n ? n->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) return c;
  return nullptr;
}

Node child(Node n, const char* local) {
  for (Node c = n ? n->children : nullptr; c; c = c->next)
    if (is(c, local)) return c;
  return nullptr;
}

std::vector<Node> children(Node n, const char* local) {
  std::vector<Node> out;
  for (Node c = n ? n->children : nullptr; c; c = c->next)
    if (is(c, local)) out.push_back(c);
  return out;
}

// Successive first children of these local names (property, object, property, ...).
Node path(Node n, std::initializer_list<const char*> locals) {
  for (const char* local : locals) n = child(n, local);
  return n;
}

std::string trimmed(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string content(Node n) {
  if (!n) return {};
  xmlChar* text = xmlNodeGetContent(n);
  std::string out = text ? reinterpret_cast<const char*>(text) : "";
  xmlFree(text);
  return trimmed(std::move(out));
}

std::string attribute(Node n, const char* name) {
  if (!n) return {};
  xmlChar* value = xmlGetProp(n, xml_chars(name));
  std::string out = value ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  return trimmed(std::move(out));
}

// The text of a property whose value is gco:CharacterString, gmx:Anchor,
// gco:Date, gmd:URL, ...: the content of its one element.
std::string value_of(Node property) { return content(first_element(property)); }

// A code list value (gmd:CI_RoleCode codeListValue="custodian"), else its text.
std::string code_of(Node property) {
  Node code = first_element(property);
  std::string v = attribute(code, "codeListValue");
  return v.empty() ? content(code) : v;
}

std::string instant(const std::string& text) {
  if (auto parsed = core::parse_instant(text)) return *parsed;
  return {};
}

// dateStamp is a gco:Date or gco:DateTime; a record's `updated` is a UTC time.
std::string date_stamp(Node property) {
  std::string v = instant(value_of(property));
  if (v.size() == 10) v += "T00:00:00Z";
  return v;
}

// The member states by the names and codes documents use for them.
std::string member_state(std::string_view name) {
  static constexpr std::array<std::array<std::string_view, 4>, 13> kStates = {{
      {"BRN", "BN", "Brunei Darussalam", "Brunei"},  {"KHM", "KH", "Cambodia", "Kingdom of Cambodia"},
      {"IDN", "ID", "Indonesia", "Republic of Indonesia"}, {"LAO", "LA", "Lao PDR", "Laos"},
      {"MYS", "MY", "Malaysia", "Malaysia"},         {"MMR", "MM", "Myanmar", "Burma"},
      {"PHL", "PH", "Philippines", "The Philippines"}, {"SGP", "SG", "Singapore", "Singapore"},
      {"THA", "TH", "Thailand", "Kingdom of Thailand"}, {"VNM", "VN", "Viet Nam", "Vietnam"},
      {"CHN", "CN", "China", "People's Republic of China"}, {"JPN", "JP", "Japan", "Japan"},
      {"KOR", "KR", "Republic of Korea", "South Korea"},
  }};
  for (const auto& s : kStates)
    for (const auto& n : s)
      if (n == name) return std::string(s[0]);
  return {};
}

ResponsibleParty party(Node p) {
  ResponsibleParty out;
  out.individual = value_of(child(p, "individualName"));
  out.organisation = value_of(child(p, "organisationName"));
  out.position = value_of(child(p, "positionName"));
  Node contact = path(p, {"contactInfo", "CI_Contact"});
  out.email = value_of(path(contact, {"address", "CI_Address", "electronicMailAddress"}));
  out.url = value_of(path(contact, {"onlineResource", "CI_OnlineResource", "linkage"}));
  const std::string role = code_of(child(p, "role"));
  if (is_party_role(role)) out.role = role;
  return out;
}

void read_citation(Node citation, Record& r) {
  r.title = value_of(child(citation, "title"));
  for (Node d : children(citation, "date")) {
    Node date = child(d, "CI_Date");
    const std::string when = instant(value_of(child(date, "date")));
    const std::string type = code_of(child(date, "dateType"));
    if (type == "creation") r.created = when;
    else if (type == "publication") r.published = when;
    else if (type == "revision") r.revised = when;
  }
  for (Node i : children(citation, "identifier")) {
    Node id = first_element(i);  // MD_Identifier or RS_Identifier
    ExternalId e{value_of(child(id, "codeSpace")), value_of(child(id, "code"))};
    if (!e.value.empty()) r.external_ids.push_back(std::move(e));
  }
}

void read_keywords(Node identification, Record& r) {
  for (Node d : children(identification, "descriptiveKeywords")) {
    Node k = child(d, "MD_Keywords");
    KeywordGroup group;
    for (Node word : children(k, "keyword"))
      if (auto w = value_of(word); !w.empty()) group.keywords.push_back(std::move(w));
    group.type = code_of(child(k, "type"));
    Node thesaurus = path(k, {"thesaurusName", "CI_Citation"});
    group.thesaurus = value_of(child(thesaurus, "title"));
    Node anchor = first_element(child(thesaurus, "title"));
    group.thesaurus_uri = attribute(anchor, "href");  // gmx:Anchor xlink:href
    // The member state as AMIS writes it is the record's country, not a keyword.
    const bool country = group.thesaurus == "ISO 3166-1 alpha-3" && group.keywords.size() == 1;
    if (country && !member_state(group.keywords[0]).empty()) {
      r.country = member_state(group.keywords[0]);
      continue;
    }
    if (!group.keywords.empty()) r.keywords.push_back(std::move(group));
  }
}

void read_constraints(Node identification, Record& r) {
  for (Node c : children(identification, "resourceConstraints")) {
    Node constraint = first_element(c);  // MD_Constraints, MD_LegalConstraints, MD_SecurityConstraints
    for (Node u : children(constraint, "useLimitation"))
      if (auto text = value_of(u); !text.empty()) r.constraints.push_back(std::move(text));
    for (Node o : children(constraint, "otherConstraints")) {
      auto text = value_of(o);
      if (text.empty()) continue;
      if (text.starts_with("Attribution: ") && r.attribution.empty()) r.attribution = text.substr(13);
      else if (r.licence.empty() && is(constraint, "MD_LegalConstraints")) r.licence = std::move(text);
      else r.constraints.push_back(std::move(text));
    }
  }
  // AMIS's own ISO writer states the licence twice ("Licence: X" as a use limitation).
  std::erase(r.constraints, "Licence: " + r.licence);
}

double decimal(Node property, const char* name) {
  const std::string text = value_of(property);
  double v = NAN;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
    throw core::InvalidValue(name, "'" + text.substr(0, 40) + "' is not a number");
  return v;
}

void read_extent(Node extent, Record& r) {
  for (Node g : children(extent, "geographicElement")) {
    Node box = child(g, "EX_GeographicBoundingBox");
    if (!box) continue;
    core::Envelope e{decimal(child(box, "westBoundLongitude"), "westBoundLongitude"),
                     decimal(child(box, "southBoundLatitude"), "southBoundLatitude"),
                     decimal(child(box, "eastBoundLongitude"), "eastBoundLongitude"),
                     decimal(child(box, "northBoundLatitude"), "northBoundLatitude")};
    if (e.min_x > e.max_x) e.min_x = -180, e.max_x = 180;  // across the antimeridian
    if (!r.extent) {
      r.extent = e;
    } else {
      r.extent->min_x = std::min(r.extent->min_x, e.min_x);
      r.extent->min_y = std::min(r.extent->min_y, e.min_y);
      r.extent->max_x = std::max(r.extent->max_x, e.max_x);
      r.extent->max_y = std::max(r.extent->max_y, e.max_y);
    }
  }
  for (Node t : children(extent, "temporalElement")) {
    Node time = first_element(path(t, {"EX_TemporalExtent", "extent"}));  // gml:TimePeriod or gml:TimeInstant
    auto position = [](Node p) {
      const std::string indeterminate = attribute(p, "indeterminatePosition");
      if (indeterminate == "now" || indeterminate == "unknown") return std::optional<std::string>();
      std::string v = instant(content(p));
      return v.empty() ? std::optional<std::string>() : std::optional<std::string>(v);
    };
    core::TimeInterval interval;
    if (is(time, "TimePeriod")) {
      Node begin = child(time, "beginPosition");
      Node end = child(time, "endPosition");
      if (!begin) begin = path(time, {"begin", "TimeInstant", "timePosition"});
      if (!end) end = path(time, {"end", "TimeInstant", "timePosition"});
      interval = {position(begin), position(end)};
    } else if (is(time, "TimeInstant")) {
      interval.start = interval.end = position(child(time, "timePosition"));
    }
    if (interval.start || interval.end) {
      r.temporal_extent = interval;
      break;
    }
  }
}

void read_identification(Node identification, Record& r) {
  read_citation(path(identification, {"citation", "CI_Citation"}), r);
  r.abstract = value_of(child(identification, "abstract"));
  for (Node p : children(identification, "pointOfContact"))
    if (Node party_node = child(p, "CI_ResponsibleParty")) r.contacts.push_back(party(party_node));
  read_keywords(identification, r);
  read_constraints(identification, r);
  r.update_frequency =
      code_of(path(identification, {"resourceMaintenance", "MD_MaintenanceInformation", "maintenanceAndUpdateFrequency"}));
  r.thumbnail = value_of(path(identification, {"graphicOverview", "MD_BrowseGraphic", "fileName"}));
  if (Node language = child(identification, "language")) r.language = code_of(language);
  for (Node t : children(identification, "topicCategory"))
    if (auto code = value_of(t); !code.empty()) r.topic_categories.push_back(std::move(code));
  for (Node e : children(identification, "extent")) read_extent(child(e, "EX_Extent"), r);
}

bool is_service_protocol(std::string_view protocol) { return protocol.starts_with("OGC:"); }

void read_distribution(Node distribution, Record& r) {
  std::vector<std::string> formats;
  for (Node f : children(distribution, "distributionFormat"))
    if (auto name = value_of(path(f, {"MD_Format", "name"})); !name.empty()) formats.push_back(std::move(name));
  for (Node t : children(distribution, "transferOptions"))
    for (Node o : children(child(t, "MD_DigitalTransferOptions"), "onLine")) {
      Node resource = child(o, "CI_OnlineResource");
      Link link;
      link.href = value_of(child(resource, "linkage"));
      link.protocol = value_of(child(resource, "protocol"));
      link.name = value_of(child(resource, "name"));
      link.title = value_of(child(resource, "description"));
      const std::string function = code_of(child(resource, "function"));
      link.rel = function == "download" ? "enclosure" : is_service_protocol(link.protocol) ? "service" : "related";
      if (!link.href.empty()) r.links.push_back(std::move(link));
    }
  // The declared formats go with the download links (else the first link), so the
  // record's `format` facet counts them.
  std::size_t next = 0;
  for (auto& link : r.links)
    if (next < formats.size() && !is_service_protocol(link.protocol)) link.format = formats[next++];
  if (next == 0 && !formats.empty() && !r.links.empty()) r.links.front().format = formats.front();
}

std::string reference_system(Node metadata) {
  Node id = path(metadata, {"referenceSystemInfo", "MD_ReferenceSystem", "referenceSystemIdentifier", "RS_Identifier"});
  const std::string code = value_of(child(id, "code"));
  const std::string space = value_of(child(id, "codeSpace"));
  if (code.find("://") != std::string::npos || code.starts_with("urn:")) return code;
  if (code.empty()) return {};
  const bool epsg = space == "EPSG" || space.empty();
  const std::string number = code.starts_with("EPSG:") ? code.substr(5) : code;
  return epsg ? "http://www.opengis.net/def/crs/EPSG/0/" + number : space + ":" + code;
}

std::string record_type(const std::string& scope) {
  if (scope == "nonGeographicDataset") return "document";
  if (scope.empty() || !is_resource_type(scope)) return "dataset";
  return scope;
}

// The member state a record is about: its place keywords, else its contacts' country.
std::string country_of(Node metadata, const Record& r) {
  for (const auto& group : r.keywords)
    if (group.type == "place")
      for (const auto& k : group.keywords)
        if (auto c = member_state(k); !c.empty()) return c;
  for (Node c : children(metadata, "contact"))
    if (auto code = member_state(value_of(path(c, {"CI_ResponsibleParty", "contactInfo", "CI_Contact", "address",
                                                   "CI_Address", "country"})));
        !code.empty())
      return code;
  return {};
}

}  // namespace

Record read_iso19139(std::string_view xml, const IsoSchema& schema) {
  const XmlDocPtr doc = schema.read(xml, "metadata");
  return read_iso19139_document(doc.get());
}

Record read_iso19139(xmlDoc* doc, const IsoSchema& schema) {
  schema.check(doc, "metadata");
  return read_iso19139_document(doc);
}

Record read_iso19139_document(xmlDoc* doc) {
  Node metadata = xmlDocGetRootElement(doc);
  if (!is(metadata, "MD_Metadata") || !metadata->ns || !xmlStrEqual(metadata->ns->href, xml_chars(kGmd)))
    throw core::InvalidValue("metadata", "the document is not a gmd:MD_Metadata");
  Record r;
  r.id = value_of(child(metadata, "fileIdentifier"));
  if (r.id.empty()) throw core::InvalidValue("fileIdentifier", "the record has no gmd:fileIdentifier");
  r.parent_id = value_of(child(metadata, "parentIdentifier"));
  r.type = record_type(code_of(child(metadata, "hierarchyLevel")));
  r.updated = date_stamp(child(metadata, "dateStamp"));
  for (Node c : children(metadata, "contact"))
    if (Node p = child(c, "CI_ResponsibleParty")) r.contacts.push_back(party(p));
  r.reference_system = reference_system(metadata);
  if (Node identification = first_element(child(metadata, "identificationInfo")))
    read_identification(identification, r);  // MD_DataIdentification or SV_ServiceIdentification
  for (Node d : children(metadata, "distributionInfo")) read_distribution(child(d, "MD_Distribution"), r);
  r.lineage = value_of(path(metadata, {"dataQualityInfo", "DQ_DataQuality", "lineage", "LI_Lineage", "statement"}));
  if (r.country.empty()) r.country = country_of(metadata, r);
  validate(r);
  return r;
}

}  // namespace amis::catalog
