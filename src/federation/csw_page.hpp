#pragma once
// A CSW 2.0.2 GetRecordsResponse with ISO 19139 records (outputSchema gmd), read
// into the harvest's items: each gmd:MD_Metadata with its fileIdentifier, dateStamp
// and a digest of its XML as the node sent it. The page is read in one pass of
// libxml2's SAX parser, building no tree; the tree is built (once per page) only when
// a record must be read: a new or changed one, validated against the ISO schemas.
#include <cstdint>
#include <string_view>

#include "catalog/iso_schema.hpp"
#include "federation/harvest.hpp"

namespace amis::federation {

struct CswRecordsPage {
  std::int64_t matched = 0;      // numberOfRecordsMatched
  std::int64_t returned = 0;     // numberOfRecordsReturned
  std::int64_t next_record = 0;  // nextRecord; 0: none
  // Whether each digest is of the record's bytes in the page (UTF-8, as sent) rather
  // than of its serialisation in a tree (a page in another encoding).
  bool digests_of_the_text = false;
  SourcePage page;
};

inline constexpr std::size_t kMaxCswPageBytes = 64u << 20;

// @throws core::ParsingFailed for a page that is not well-formed XML, holds a
// DTD, is an ows:ExceptionReport (its text quoted) or no csw:GetRecordsResponse.
// `schema` must outlive the items' read().
CswRecordsPage read_csw_records_page(std::string_view xml, const catalog::IsoSchema& schema);

}  // namespace amis::federation
