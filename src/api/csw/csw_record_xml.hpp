#pragma once
// Catalogue records as CSW 2.0.2 writes them: csw:BriefRecord, csw:SummaryRecord
// and csw:Record (Dublin Core, OGC 07-006r1 10.2.5 and record.xsd), with the
// extent as an ows:BoundingBox in EPSG:4326 (latitude first, as that CRS defines).
#include <string>

#include "catalog/record.hpp"

namespace amis::api::csw {

enum class ElementSet { Brief, Summary, Full };

// The namespace declarations a response puts on its root for these records.
inline constexpr const char* kDublinCoreNamespaces =
    "xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:dct=\"http://purl.org/dc/terms/\" xmlns:ows=\"http://www.opengis.net/ows\"";

// Appends the record (prefixes csw, dc, dct, ows declared by the caller).
void append_dublin_core(std::string& out, const catalog::Record& record, ElementSet set);

// The record with only what an ISO AP 1.0 element set shows (brief: identifier,
// type, title, extent, thumbnail, contacts and date stamp, which gmd requires;
// summary: also abstract, keywords, topic categories, dates, language, reference
// system, distribution and lineage; full: everything), for the ISO 19139 writer.
catalog::Record iso_element_set(const catalog::Record& record, ElementSet set);

// The element name of that set: "csw:BriefRecord", "csw:SummaryRecord", "csw:Record".
const char* dublin_core_element(ElementSet set);

}  // namespace amis::api::csw
