#include "ingest/ogr_source.hpp"

#include <cstdio>
#include <cstdlib>

#include "core/datetime.hpp"
#include "ingest/ogr_import.hpp"

namespace amis::ingest {


OGRCoordinateTransformationH to_crs84(OGRLayerH layer) {
  OGRSpatialReferenceH source = OGR_L_GetSpatialRef(layer);
  if (!source) return nullptr;
  OGRSpatialReferenceH target = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(target, 4326);
  OSRSetAxisMappingStrategy(target, OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReferenceH src = OSRClone(source);
  OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
  OGRCoordinateTransformationH ct = nullptr;
  if (!OSRIsSame(src, target)) {
    ct = OCTNewCoordinateTransformation(src, target);
    if (!ct) {
      OSRDestroySpatialReference(src);
      OSRDestroySpatialReference(target);
      throw ImportError("cannot transform the source CRS to WGS 84");
    }
  }
  OSRDestroySpatialReference(src);
  OSRDestroySpatialReference(target);
  return ct;
}

std::string datetime_text(OGRFeatureH f, int i, bool date_only) {
  int y, mo, d, h, mi, tz;
  float s;
  OGR_F_GetFieldAsDateTimeEx(f, i, &y, &mo, &d, &h, &mi, &s, &tz);
  char buf[64];
  if (date_only) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
    return buf;
  }
  // OGR time zones: 100 is UTC, 100 + n is n quarter hours east; 0/1 (unknown,
  // local) are taken as UTC.
  const int offset = tz > 1 ? (tz - 100) * 15 : 0;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%06.3f%c%02d:%02d", y, mo, d, h, mi, s,
                offset < 0 ? '-' : '+', std::abs(offset) / 60, std::abs(offset) % 60);
  auto normalised = core::parse_instant(buf);
  return normalised ? *normalised : std::string(buf);
}

}  // namespace amis::ingest
