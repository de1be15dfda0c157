#pragma once
// A CSW 2.0.2 GetRecordsResponse with ISO 19139 records (outputSchema gmd), read
// into the harvest's items: each gmd:MD_Metadata with its fileIdentifier, dateStamp
// and a digest of its XML; the record itself is validated against the ISO schemas
// and read only when the harvest asks (a new or changed record).
#include <cstdint>
#include <string_view>

#include "catalog/iso_schema.hpp"
#include "federation/harvest.hpp"

namespace amis::federation {

struct CswRecordsPage {
  std::int64_t matched = 0;      // numberOfRecordsMatched
  std::int64_t returned = 0;     // numberOfRecordsReturned
  std::int64_t next_record = 0;  // nextRecord; 0: none
  SourcePage page;
};

inline constexpr std::size_t kMaxCswPageBytes = 64u << 20;

// @throws core::ParsingFailed for a page that is not well-formed XML, holds a
// DTD, is an ows:ExceptionReport (its text quoted) or no csw:GetRecordsResponse.
// `schema` must outlive the items' read().
CswRecordsPage read_csw_records_page(std::string_view xml, const catalog::IsoSchema& schema);

}  // namespace amis::federation
