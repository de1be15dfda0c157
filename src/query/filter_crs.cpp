#include "query/filter_crs.hpp"

#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>

#include "core/error.hpp"
#include "core/wkb.hpp"
#include "encode/coordinate_transform.hpp"
#include "query/projected_box.hpp"

namespace amis::query {
namespace {

struct OgrTransform {
  OGRSpatialReferenceH source = nullptr;
  OGRSpatialReferenceH target = nullptr;
  OGRCoordinateTransformationH transform = nullptr;
  explicit OgrTransform(const core::Crs& from) {
    source = OSRNewSpatialReference(nullptr);
    target = OSRNewSpatialReference(nullptr);
    // Coordinates in the filter follow the CRS's own axis order (EPSG:4326: lat, lon).
    OSRSetAxisMappingStrategy(source, OAMS_AUTHORITY_COMPLIANT);
    OSRSetAxisMappingStrategy(target, OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRImportFromEPSG(source, from.epsg) != OGRERR_NONE || OSRImportFromEPSG(target, 4326) != OGRERR_NONE) {
      release();  // a constructor that throws runs no destructor
      throw core::InvalidParameter("filter-crs", "the CRS " + from.uri() + " is not supported");
    }
    transform = OCTNewCoordinateTransformation(source, target);
    if (!transform) {
      release();
      throw core::InvalidParameter("filter-crs", "no transformation from " + from.uri());
    }
  }
  ~OgrTransform() { release(); }
  void release() {
    if (transform) OCTDestroyCoordinateTransformation(transform);
    if (source) OSRDestroySpatialReference(source);
    if (target) OSRDestroySpatialReference(target);
    transform = nullptr;
    source = target = nullptr;
  }
};

void walk(core::Expression& e, const core::Crs& from, OgrTransform& ogr, const encode::CoordinateTransform& bounds) {
  using Kind = core::Expression::Kind;
  if (e.kind == Kind::Geometry) {
    OGRGeometryH g = nullptr;
    if (OGR_G_CreateFromWkbEx(e.wkb.data(), nullptr, &g, e.wkb.size()) != OGRERR_NONE || !g)
      throw core::InvalidParameter("filter", "unreadable geometry literal");
    const bool ok = OGR_G_Transform(g, ogr.transform) == OGRERR_NONE;
    if (ok) {
      e.wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
      OGR_G_ExportToIsoWkb(g, wkbNDR, e.wkb.data());
    }
    OGR_G_DestroyGeometry(g);
    if (!ok) throw core::InvalidParameter("filter-crs", "a geometry cannot be transformed to CRS84");
  } else if (e.kind == Kind::Envelope) {
    // A BBOX in a projected CRS is that box, not its CRS84 envelope.
    if (auto shape = projected_box_shape(e.envelope, from, bounds, "filter-crs")) {
      e = std::move(*shape);
      return;
    }
    e.envelope = bounds.to_crs84_bounds(e.envelope.min_x, e.envelope.min_y, e.envelope.max_x,
                                        e.envelope.max_y);
  }
  for (auto& arg : e.args) walk(arg, from, ogr, bounds);
}

}  // namespace

void check_crs84_literals(const core::Expression& e) {
  using Kind = core::Expression::Kind;
  if (e.kind == Kind::Geometry || e.kind == Kind::Envelope) {
    const core::Envelope env = e.kind == Kind::Envelope ? e.envelope : core::wkb_envelope(e.wkb);
    const bool outside = !env.empty() && (env.min_x < -180 || env.max_x > 180 ||
                                          env.min_y < -90 || env.max_y > 90);
    if (outside)
      throw core::InvalidParameter("filter", "the literal " + core::to_debug_string(e).substr(0, 80) +
                                                 " lies outside longitude -180..180, latitude -90..90");
  }
  for (const auto& arg : e.args) check_crs84_literals(arg);
}

void transform_literals_to_crs84(core::Expression& filter, const core::Crs& from) {
  if (from.is_crs84()) return;
  OgrTransform ogr(from);
  const encode::CoordinateTransform bounds(from, "filter-crs", /*inverse=*/true);
  walk(filter, from, ogr, bounds);
}

}  // namespace amis::query
