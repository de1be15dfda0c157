#include "store/gpkg/sql_functions.hpp"

#include <geos_c.h>

#include <memory>

#include "core/wkb.hpp"
#include "core/geos_context.hpp"
#include "store/gpkg/gpkg_binary.hpp"

namespace amis::store::gpkg {
namespace {

std::span<const std::uint8_t> blob_arg(sqlite3_value* v) {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_value_blob(v));
  return {data, static_cast<size_t>(sqlite3_value_bytes(v))};
}

GEOSContextHandle_t geos() { return core::geos_context(); }

template <double core::Envelope::*Member>
void envelope_member(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) return sqlite3_result_null(ctx);
  try {
    const auto env = gpkg_envelope(parse_gpkg_geometry(blob_arg(argv[0])));
    if (env.empty()) return sqlite3_result_null(ctx);
    sqlite3_result_double(ctx, env.*Member);
  } catch (const core::WkbError&) {
    sqlite3_result_null(ctx);
  }
}

void is_empty(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) return sqlite3_result_null(ctx);
  try {
    sqlite3_result_int(ctx, gpkg_envelope(parse_gpkg_geometry(blob_arg(argv[0]))).empty());
  } catch (const core::WkbError&) {
    sqlite3_result_null(ctx);
  }
}

bool geos_intersects_box(std::span<const std::uint8_t> wkb, const core::Envelope& box) {
  auto* h = geos();
  GEOSGeometry* g = GEOSGeomFromWKB_buf_r(h, wkb.data(), wkb.size());
  if (!g) return false;
  GEOSGeometry* rect = GEOSGeom_createRectangle_r(h, box.min_x, box.min_y, box.max_x, box.max_y);
  const char result = rect ? GEOSIntersects_r(h, g, rect) : 0;
  GEOSGeom_destroy_r(h, rect);
  GEOSGeom_destroy_r(h, g);
  return result == 1;
}

// Exact "geometry intersects box": decided from the envelope alone when it lies
// inside or outside the box (always for points), otherwise by GEOS.
void intersects_bbox(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) return sqlite3_result_int(ctx, 0);
  const core::Envelope box{sqlite3_value_double(argv[1]), sqlite3_value_double(argv[2]),
                           sqlite3_value_double(argv[3]), sqlite3_value_double(argv[4])};
  try {
    const auto g = parse_gpkg_geometry(blob_arg(argv[0]));
    const auto env = gpkg_envelope(g);
    if (env.empty() || !env.intersects(box)) return sqlite3_result_int(ctx, 0);
    const bool inside = env.min_x >= box.min_x && env.max_x <= box.max_x &&
                        env.min_y >= box.min_y && env.max_y <= box.max_y;
    const bool point = env.min_x == env.max_x && env.min_y == env.max_y;
    sqlite3_result_int(ctx, inside || point || geos_intersects_box(g.wkb, box));
  } catch (const core::WkbError&) {
    sqlite3_result_int(ctx, 0);
  }
}

void add(sqlite3* db, const char* name, int args,
         void (*fn)(sqlite3_context*, int, sqlite3_value**)) {
  sqlite3_create_function_v2(db, name, args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, fn,
                             nullptr, nullptr, nullptr);
}

}  // namespace

void register_sql_functions(sqlite3* db) {
  add(db, "ST_MinX", 1, envelope_member<&core::Envelope::min_x>);
  add(db, "ST_MaxX", 1, envelope_member<&core::Envelope::max_x>);
  add(db, "ST_MinY", 1, envelope_member<&core::Envelope::min_y>);
  add(db, "ST_MaxY", 1, envelope_member<&core::Envelope::max_y>);
  add(db, "ST_IsEmpty", 1, is_empty);
  add(db, "amis_intersects_bbox", 5, intersects_bbox);
}

}  // namespace amis::store::gpkg
