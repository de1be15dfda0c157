// SLD documents come from clients (WMS SLD_BODY) and from administrators (style
// uploads): the SLD reader may only throw OgcError, and what it reads must be a
// style the renderer can use (every rule checked below).
#include <cpl_error.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/collection.hpp"
#include "core/error.hpp"
#include "core/expression.hpp"
#include "styles/sld_parser.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CPLSetErrorHandler(CPLQuietErrorHandler);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amis::core::Collection collection = [] {
    amis::core::Collection c;
    c.id = "coal_mines";
    c.geometry_type = "POINT";
    c.properties = {{"mine_name", amis::core::PropertyType::Text},
                    {"status", amis::core::PropertyType::Text},
                    {"capacity_mtpa", amis::core::PropertyType::Real},
                    {"opening_year", amis::core::PropertyType::Integer}};
    return c;
  }();
  static const amis::core::Collection raster = [] {
    amis::core::Collection c;
    c.id = "geoid";
    c.geometry_type = amis::styles::kRasterGeometryType;
    return c;
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A raster layer's style: a ColorMap with ascending quantities, its colours
  // defined for every value.
  try {
    for (const auto& style : amis::styles::parse_sld_for(text, raster, {}))
      if (const auto* map = amis::render::raster_color_map(&style)) {
        if (map->entries.empty() || map->entries.size() > 256) __builtin_trap();
        for (std::size_t i = 1; i < map->entries.size(); ++i)
          if (map->entries[i].quantity < map->entries[i - 1].quantity) __builtin_trap();
        for (const auto& e : map->entries) {
          const auto c = amis::render::colour_of(*map, e.quantity);
          if (c && !(c->opacity >= 0 && c->opacity <= 1)) __builtin_trap();
          amis::render::colour_of(*map, e.quantity + 0.5);
        }
      }
  } catch (const amis::core::OgcError&) {
  }
  try {
    for (const auto& style : amis::styles::parse_sld_for(text, collection, {})) {
      for (const auto& rule : style.rules) {
        if (rule.filter) amis::core::to_debug_string(*rule.filter);
        if (!(rule.min_scale >= 0) || std::isnan(rule.max_scale)) __builtin_trap();
        for (const auto& s : rule.symbolizers) {
          if (const auto* p = std::get_if<amis::render::PointSymbolizer>(&s))
            if (!(p->size >= 0 && p->size <= 256)) __builtin_trap();
          if (const auto* t = std::get_if<amis::render::TextSymbolizer>(&s))
            if (!collection.property(t->label)) __builtin_trap();
        }
      }
    }
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
