#pragma once
// The query parameters of /collections/{collectionId}/items, parsed into a typed
// FeatureQuery (OGC API - Features Part 1, 7.15).
#include <cstdint>
#include <memory>

#include "core/collection.hpp"
#include "core/feature_query.hpp"
#include "http/request.hpp"

namespace amis::api::features {

struct ItemsLimits {
  std::int64_t default_limit = 10;
  std::int64_t max_limit = 10000;  // a page of JSON or HTML, which has a next link
  // A download (f= csv, kml, gpkg, shapezip, fgb, or download=true): one file without
  // paging links, so it may hold this many; the encoders stream, GDAL's through a file.
  std::int64_t max_download_features = 1'000'000;
};

// True when the request asks for the result as one file: f= a download format, or
// download=true (GeoJSON as an attachment).
// @throws InvalidParameter when download= is neither true nor false.
bool is_download_request(const http::Request& request);

// @throws InvalidParameter for a malformed bbox, limit, offset or datetime;
// UnknownParameter for a parameter that is neither standard nor a queryable.
core::FeatureQuery parse_items_request(const http::Request& request,
                                       const core::Collection& collection,
                                       const ItemsLimits& limits);

// True for the parameters the standard defines for items (f, bbox, datetime, ...).
bool is_items_parameter(std::string_view name);

// `filter` with `filter-lang` (cql2-text, the default, or cql2-json) as a tree with
// its literals as written (no filter-crs); null without a filter.
// @throws InvalidParameter for a filter that does not parse or an unknown language.
std::shared_ptr<const core::Expression> parse_filter(const http::Request& request);

// bbox=minx,miny,maxx,maxy (or the 6-number 3D form) in CRS84.
// @throws InvalidParameter when it is not 4 or 6 numbers or not a valid box.
core::Envelope parse_bbox(std::string_view text);

// A CRS84 box as given (west may exceed east: across the antimeridian).
// @throws InvalidParameter when latitudes are inverted or out of range.
core::Envelope checked_crs84_box(const core::Envelope& box);

}  // namespace amis::api::features
