#pragma once
// A bounding box given in a projected CRS (OGC API - Features Part 2 `bbox-crs`,
// WFS BBOX with a srsName) selects the features that meet that box in its CRS,
// not every feature inside the box's CRS84 envelope: the box's edges, densified,
// become a CRS84 polygon the features must intersect.
#include <optional>

#include "core/envelope.hpp"
#include "core/expression.hpp"
#include "encode/coordinate_transform.hpp"

namespace amis::query {

// S_INTERSECTS(geometry, <the box as a CRS84 polygon>), for a box in the CRS of
// `inverse` (an inverse transform, the box in that transform's axis order).
// Nothing when the envelope is already exact (a geographic CRS, where the box's
// edges are meridians and parallels) or when the box's image crosses the
// antimeridian (the envelope alone then selects).
// @throws core::InvalidParameter(parameter, ...) when PROJ cannot transform it.
std::optional<core::Expression> projected_box_condition(const core::Envelope& box, const core::Crs& crs,
                                                        const encode::CoordinateTransform& inverse,
                                                        const char* parameter);

// The box as a CRS84 polygon literal (ISO WKB), under the same conditions.
std::optional<core::Expression> projected_box_shape(const core::Envelope& box, const core::Crs& crs,
                                                    const encode::CoordinateTransform& inverse,
                                                    const char* parameter);

// `a AND b`, either possibly absent.
std::shared_ptr<const core::Expression> and_condition(std::shared_ptr<const core::Expression> a,
                                                      std::optional<core::Expression> b);

}  // namespace amis::query
