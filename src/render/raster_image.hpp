#pragma once
// A raster layer for one map: its band warped by GDAL to the map's CRS, box and
// size, then coloured with the ramp (bilinear) or with an SLD colour map (bilinear
// for a `ramp`, nearest neighbour for `intervals` and `values`, whose classes must
// not be blended), or shaded as relief (the hillshade style). Cells without data stay clear.
// Only the pixels where the raster can have values are warped, and the warp stops
// when the request's budget (core::RequestBudget) is spent.
#include <cstdint>
#include <vector>

#include "render/map_renderer.hpp"

namespace amis::render {

// RGBA pixels, row by row from the top, not premultiplied.
// @throws core::ServerError when the file cannot be read or warped;
// core::DeadlineExceeded or core::ClientDisconnected when the budget is spent.
// `style` (null: the ramp) may hold an SLD colour map or be the hillshade style.
std::vector<std::uint8_t> raster_image(const store::RasterLayer& raster, const MapRequest& request,
                                       const Style* style = nullptr);

}  // namespace amis::render
