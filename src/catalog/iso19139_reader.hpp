#pragma once
// ISO 19139 (gmd:MD_Metadata, ISO 19115:2003) documents read into catalogue
// records: the document is validated against the ISO schemas first (IsoSchema),
// then its core elements are taken into a Record. What a Record has no place for
// (data quality reports, spatial representation, ...) is not kept.
#include <string_view>

#include "catalog/iso_schema.hpp"
#include "catalog/record.hpp"

namespace amis::catalog {

// @throws core::ParsingFailed for XML that cannot be read or holds a DTD,
// core::InvalidValue (with the schema's messages) for a document that does not
// validate or is no gmd:MD_Metadata, or whose identifier, title or extent a
// record cannot take (catalog::validate).
Record read_iso19139(std::string_view xml, const IsoSchema& schema);

// The same for a document parsed already (read_safe_xml), validated here.
Record read_iso19139(xmlDoc* doc, const IsoSchema& schema);

// The record of a document validated already. @throws core::InvalidValue as above.
Record read_iso19139_document(xmlDoc* doc);

}  // namespace amis::catalog
