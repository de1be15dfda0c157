// Features written by clients (OGC API Features Part 4 bodies and merge
// patches): the reader may only throw OgcError, and what it accepts must be
// what the store can hold: every property of the collection, of its type, and
// a geometry of the collection's type that OGR reads back.
#include <cpl_error.h>
#include <ogr_api.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "edit/feature_input.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CPLSetErrorHandler(CPLQuietErrorHandler);
  return 0;
}

namespace {

void check(const amis::core::Collection& c, const amis::edit::FeatureState& f) {
  if (f.properties.size() != c.properties.size()) __builtin_trap();
  for (const auto& p : c.properties) {
    const auto& v = f.properties.at(p.name);
    if (v.is_null()) continue;
    const bool ok = p.type == amis::core::PropertyType::Integer ? v.is_number_integer()
                    : p.type == amis::core::PropertyType::Real  ? v.is_number_float()
                                                                : v.is_string();
    if (!ok) __builtin_trap();
  }
  if (f.wkb.empty()) return;
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(const_cast<std::uint8_t*>(f.wkb.data()), nullptr, &g, f.wkb.size()) != OGRERR_NONE)
    __builtin_trap();
  if (wkbFlatten(OGR_G_GetGeometryType(g)) != wkbMultiPolygon) __builtin_trap();
  OGR_G_DestroyGeometry(g);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amis::core::Collection collection = [] {
    amis::core::Collection c;
    c.id = "licences";
    c.geometry_type = "MULTIPOLYGON";
    c.properties = {{"name", amis::core::PropertyType::Text},
                    {"iso3", amis::core::PropertyType::Text},
                    {"area_km2", amis::core::PropertyType::Real},
                    {"granted", amis::core::PropertyType::Integer},
                    {"since", amis::core::PropertyType::Date}};
    return c;
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto f = amis::edit::read_feature(collection, text);
    check(collection, f);
    check(collection, amis::edit::merge_patch(collection, f, text));
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
