#pragma once
// A collection's metadata as the store keeps it for a publication: what AMIS
// lists and describes for a cascaded collection without asking the node.
#include <string>
#include <string_view>

#include "core/collection.hpp"

namespace amis::federation {

std::string collection_json(const core::Collection& collection);
// @throws core::ParsingFailed for text collection_json did not write.
core::Collection collection_from_json(std::string_view text);

// Whether the node sends its pages in GML (a WFS that offers no GeoJSON), kept
// with the publication's metadata (collection_json's text with "pageFormat": "gml").
std::string with_gml_pages(const std::string& metadata);
bool gml_pages(std::string_view metadata);

}  // namespace amis::federation
