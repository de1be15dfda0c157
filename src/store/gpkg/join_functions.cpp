#include "store/gpkg/join_functions.hpp"

#include <geos_c.h>

#include <optional>
#include <span>

#include "core/geos_context.hpp"
#include "core/request_budget.hpp"
#include "core/sphere_distance.hpp"
#include "core/wkb.hpp"
#include "store/gpkg/gpkg_binary.hpp"

namespace amis::store::gpkg {
namespace {

std::optional<GpkgGeometry> geometry(sqlite3_value* v) {
  if (sqlite3_value_type(v) != SQLITE_BLOB) return std::nullopt;
  const std::span<const std::uint8_t> blob(static_cast<const std::uint8_t*>(sqlite3_value_blob(v)),
                                           static_cast<size_t>(sqlite3_value_bytes(v)));
  try {
    auto g = parse_gpkg_geometry(blob);
    if (g.empty) return std::nullopt;
    return g;
  } catch (const core::WkbError&) {
    return std::nullopt;
  }
}

// A join tests many pairs per request: a spent budget stops it between pairs.
bool budget_spent(sqlite3_context* ctx) {
  if (!core::RequestBudget::exhausted()) return false;
  sqlite3_result_error(ctx, "spatial join: the request's budget is spent", -1);
  return true;
}

void within(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (budget_spent(ctx)) return;
  const auto a = geometry(argv[0]), b = geometry(argv[1]);
  if (!a || !b) return sqlite3_result_null(ctx);
  auto* h = core::geos_context();
  GEOSGeometry* ga = GEOSGeomFromWKB_buf_r(h, a->wkb.data(), a->wkb.size());
  GEOSGeometry* gb = ga ? GEOSGeomFromWKB_buf_r(h, b->wkb.data(), b->wkb.size()) : nullptr;
  const char result = gb ? GEOSWithin_r(h, ga, gb) : 2;
  if (gb) GEOSGeom_destroy_r(h, gb);
  if (ga) GEOSGeom_destroy_r(h, ga);
  if (result == 2) return sqlite3_result_null(ctx);
  sqlite3_result_int(ctx, result == 1);
}

void dwithin(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (budget_spent(ctx)) return;
  const auto a = geometry(argv[0]), b = geometry(argv[1]);
  if (!a || !b || sqlite3_value_type(argv[2]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  try {
    sqlite3_result_int(ctx, core::sphere_distance(a->wkb, b->wkb) <= sqlite3_value_double(argv[2]));
  } catch (const core::WkbError&) {
    sqlite3_result_null(ctx);
  }
}

void search_box(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto g = geometry(argv[0]);
  if (!g) return sqlite3_result_null(ctx);
  core::Envelope e;
  try {
    e = gpkg_envelope(*g);
  } catch (const core::WkbError&) {
    return sqlite3_result_null(ctx);
  }
  if (e.empty()) return sqlite3_result_null(ctx);
  const auto box = core::search_box(e, sqlite3_value_double(argv[1]));
  const double members[] = {box.min_x, box.min_y, box.max_x, box.max_y};
  const auto k = sqlite3_value_int(argv[2]);
  if (k < 0 || k > 3) return sqlite3_result_null(ctx);
  sqlite3_result_double(ctx, members[k]);
}

void add(sqlite3* db, const char* name, int args, void (*fn)(sqlite3_context*, int, sqlite3_value**)) {
  sqlite3_create_function_v2(db, name, args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, fn, nullptr, nullptr,
                             nullptr);
}

}  // namespace

void register_join_functions(sqlite3* db) {
  add(db, "amis_within", 2, within);
  add(db, "amis_dwithin", 3, dwithin);
  add(db, "amis_search_box", 3, search_box);
}

}  // namespace amis::store::gpkg
