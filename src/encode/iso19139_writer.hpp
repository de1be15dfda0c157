#pragma once
// A catalogue record as ISO 19139 XML (gmd:MD_Metadata, ISO 19115:2003 elements),
// valid against the ISO 19139 schemas (2007-04-17) and GML 3.2.1. Distribution
// links that are paths ("/wms?...", as derived records keep them) are resolved
// against `base_url`. Used by OGC API - Records (f=xml) and CSW (outputSchema gmd).
#include <string>
#include <string_view>

#include "catalog/record.hpp"

namespace amis::encode {

inline constexpr const char* kGmdNamespace = "http://www.isotc211.org/2005/gmd";

// Appends one <gmd:MD_Metadata> element, declaring its namespaces (to embed in a
// larger document, e.g. a csw:GetRecordsResponse).
void append_iso19139(std::string& out, const catalog::Record& record, std::string_view base_url);

// The whole document, with its XML declaration and schemaLocation.
std::string iso19139_document(const catalog::Record& record, std::string_view base_url);

// `href` resolved against `base_url` when it is a path ("/..."), else as it is.
std::string resolve_href(std::string_view href, std::string_view base_url);

}  // namespace amis::encode
