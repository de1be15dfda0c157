#pragma once
// The HTML page of a coverage (/collections/{id}/coverage?f=html): its domain (CRS,
// grid size, resolution, extent), its bands (name, unit, description, data type,
// nodata, range), a preview image (the PNG encoding scaled to at most 512 cells wide)
// and links to its other encodings and its map tiles.
#include <string>
#include <vector>

#include "coverage/coverage_info.hpp"
#include "store/store.hpp"

namespace amis::api::coverages {

// The largest side of the preview image, in pixels.
inline constexpr int kPreviewSize = 512;

std::string coverage_html_page(const std::string& base, const store::RasterLayer& layer,
                               const coverage::CoverageInfo& info, const std::vector<store::RasterBand>& bands);

}  // namespace amis::api::coverages
