#pragma once
// Distances on the sphere for the spatial joins' "within a distance" (in
// metres, between CRS84 geometries): the great-circle distance on the sphere of
// WGS 84's mean radius, as PostGIS's geography with use_spheroid = false and
// SpatiaLite's ST_Distance(a, b, 0) measure it. Against the ellipsoid it errs by
// at most about 0.5 %; both stores use this one definition, so they agree.
#include <cstdint>
#include <span>

#include "core/envelope.hpp"

namespace amis::core {

inline constexpr double kMeanEarthRadius = 6371008.7714;  // (2a + b) / 3 of WGS 84, metres

// The least great-circle distance between two geometries (ISO WKB, CRS84): 0
// when they meet (decided by GEOS in the plane), else the least distance from a
// vertex of one to a point, segment (a great-circle arc) or vertex of the other.
// @throws WkbError for unreadable WKB.
double sphere_distance(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// A CRS84 box holding every point within `metres` of the box `e` (so that an
// R-tree narrows a "within distance" to its candidates); every longitude when the
// circle reaches a pole. It does not wrap around the antimeridian.
Envelope search_box(const Envelope& e, double metres);

}  // namespace amis::core
