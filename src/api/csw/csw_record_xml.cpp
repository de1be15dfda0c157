#include "api/csw/csw_record_xml.hpp"

#include <utility>
#include <vector>

#include "encode/xml_text.hpp"

namespace amis::api::csw {
namespace {

using encode::append_xml_text;

// Dublin Core elements are optional: an empty value is left out.
void element(std::string& out, const char* name, std::string_view text) {
  if (!text.empty()) encode::append_xml_element(out, name, text);
}

void number(std::string& out, double v) { encode::append_xml_number(out, v); }

// EPSG:4326 has latitude first (OGC 07-006r1 10.2.5; the record stores CRS84).
void bounding_box(std::string& out, const catalog::Record& r) {
  if (!r.extent) return;
  const auto& e = *r.extent;
  out += "<ows:BoundingBox crs=\"urn:ogc:def:crs:EPSG::4326\" dimensions=\"2\"><ows:LowerCorner>";
  number(out, e.min_y);
  out += ' ';
  number(out, e.min_x);
  out += "</ows:LowerCorner><ows:UpperCorner>";
  number(out, e.max_y);
  out += ' ';
  number(out, e.max_x);
  out += "</ows:UpperCorner></ows:BoundingBox>";
}

void subjects(std::string& out, const catalog::Record& r) {
  for (const auto& group : r.keywords)
    for (const auto& k : group.keywords) element(out, "dc:subject", k);
  for (const auto& topic : r.topic_categories) element(out, "dc:subject", topic);
}

void formats(std::string& out, const catalog::Record& r) {
  for (const auto& f : r.formats()) element(out, "dc:format", f);
}

// Who made, published and contributed to the resource, by ISO role.
void parties(std::string& out, const catalog::Record& r) {
  std::vector<std::pair<const char*, const std::string*>> written;
  for (const auto& p : r.contacts) {
    const std::string& name = p.organisation.empty() ? p.individual : p.organisation;
    const char* dc = p.role == "originator" || p.role == "author"           ? "dc:creator"
                     : p.role == "publisher" || p.role == "distributor" ? "dc:publisher"
                                                                          : "dc:contributor";
    bool repeated = false;  // the metadata contact is often the resource's too
    for (const auto& [element_name, written_name] : written)
      repeated = repeated || (element_name == dc && *written_name == name);
    if (repeated) continue;
    written.emplace_back(dc, &name);
    element(out, dc, name);
  }
}

// Distribution links as dct:references with their protocol as the scheme, where
// clients (QGIS MetaSearch) find the services to add.
void references(std::string& out, const catalog::Record& r) {
  for (const auto& link : r.links) {
    out += "<dct:references";
    if (!link.protocol.empty()) {
      out += " scheme=\"";
      append_xml_text(out, link.protocol);
      out += '"';
    }
    out += '>';
    append_xml_text(out, link.href);
    out += "</dct:references>";
  }
}

}  // namespace

catalog::Record iso_element_set(const catalog::Record& record, ElementSet set) {
  if (set == ElementSet::Full) return record;
  catalog::Record out;
  out.id = record.id;
  out.type = record.type;
  out.title = record.title;
  out.extent = record.extent;
  out.thumbnail = record.thumbnail;
  out.contacts = record.contacts;
  out.updated = record.updated;
  out.language = record.language;
  out.origin = record.origin;
  if (set == ElementSet::Brief) return out;
  out.abstract = record.abstract;
  out.keywords = record.keywords;
  out.topic_categories = record.topic_categories;
  out.created = record.created;
  out.published = record.published;
  out.revised = record.revised;
  out.reference_system = record.reference_system;
  out.links = record.links;
  out.lineage = record.lineage;
  out.parent_id = record.parent_id;
  out.temporal_extent = record.temporal_extent;
  return out;
}

const char* dublin_core_element(ElementSet set) {
  switch (set) {
    case ElementSet::Brief: return "csw:BriefRecord";
    case ElementSet::Summary: return "csw:SummaryRecord";
    case ElementSet::Full: return "csw:Record";
  }
  return "csw:Record";
}

void append_dublin_core(std::string& out, const catalog::Record& r, ElementSet set) {
  const char* name = dublin_core_element(set);
  out += '<';
  out += name;
  out += '>';
  element(out, "dc:identifier", r.id);
  element(out, "dc:title", r.title);
  element(out, "dc:type", r.type);
  if (set == ElementSet::Summary) {  // record.xsd fixes the order of a summary's elements
    subjects(out, r);
    formats(out, r);
    element(out, "dc:relation", r.parent_id);
    element(out, "dct:modified", r.updated);
    element(out, "dct:abstract", r.abstract);
  } else if (set == ElementSet::Full) {
    subjects(out, r);
    formats(out, r);
    element(out, "dc:relation", r.parent_id);
    element(out, "dct:modified", r.updated);
    element(out, "dct:abstract", r.abstract);
    parties(out, r);
    element(out, "dc:date", r.published.empty() ? r.created : r.published);
    element(out, "dc:language", r.language);
    element(out, "dc:rights", r.licence);
    for (const auto& c : r.constraints) element(out, "dc:rights", c);
    element(out, "dc:source", r.lineage);
    references(out, r);
  }
  bounding_box(out, r);
  out += "</";
  out += name;
  out += '>';
}

}  // namespace amis::api::csw
