#pragma once
// WMS (1.3.0, 1.1.1), WFS (2.0, 1.1, 1.0) and WMTS (1.0.0) capabilities read into
// catalogue records: one per named layer or feature type, with its title, abstract,
// keywords and geographic extent (inherited from the enclosing layer in WMS) and
// a service link naming it. Read safely (read_safe_xml: no DTD, no network).
#include <cstddef>
#include <string_view>

#include "federation/harvest.hpp"

namespace amis::federation {

inline constexpr std::size_t kMaxCapabilitiesBytes = 32u << 20;
inline constexpr std::size_t kMaxLayers = 100000;

// `service_url` is the service's endpoint, the records' links' href.
// @throws core::ParsingFailed for a document that is no WMS capabilities
// (WMS_Capabilities, WMT_MS_Capabilities) or an ExceptionReport.
SourcePage read_wms_capabilities(std::string_view xml, std::string_view service_url);

// @throws core::ParsingFailed for a document that is no WFS_Capabilities.
SourcePage read_wfs_capabilities(std::string_view xml, std::string_view service_url);

// A record per Contents/Layer (ows:Identifier), with its formats and tile matrix sets
// named in the link, and a second link to its REST tile template when it has one.
// @throws core::ParsingFailed for a document that is no WMTS Capabilities.
SourcePage read_wmts_capabilities(std::string_view xml, std::string_view service_url);

}  // namespace amis::federation
