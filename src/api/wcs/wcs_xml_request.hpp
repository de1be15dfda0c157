#pragma once
// WCS 2.0.1 requests in the XML/POST encoding (OGC 09-148r1) with the CRS,
// scaling, range subsetting and interpolation extensions inside wcs:Extension,
// read into the same typed request as the KVP encoding (wcs_request.hpp), so the
// service answers both alike. The document is read by query::parse_xml: no DTD,
// no entity, at most 1 MiB; lists are bounded as in KVP.
#include <string_view>

#include "api/wcs/wcs_request.hpp"

namespace amis::api::wcs {

inline constexpr const char* kWcs20Namespace = "http://www.opengis.net/wcs/2.0";

// @throws core::ParsingFailed (OperationParsingFailed, 400) for a document that
// is not well-formed XML, holds a DTD or is too large; WcsError with the codes of
// parse_wcs_kvp for a well-formed request that asks for something wrong.
WcsRequest parse_wcs_xml(std::string_view body);

}  // namespace amis::api::wcs
