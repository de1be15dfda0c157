#pragma once
// What reading any OGR source needs, for imports and uploads alike: the
// transformation of a layer to CRS84 and OGR's date-times as RFC 3339 text.
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <string>

namespace amis::ingest {

// A transformation to CRS84 (longitude first), or null when the layer already
// is in it or has no CRS. @throws ImportError when PROJ cannot transform.
OGRCoordinateTransformationH to_crs84(OGRLayerH layer);

// A Date field as "YYYY-MM-DD" (date_only) or a DateTime as UTC RFC 3339.
std::string datetime_text(OGRFeatureH feature, int field, bool date_only);

}  // namespace amis::ingest
