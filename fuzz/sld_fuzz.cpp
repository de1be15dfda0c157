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
  const std::string_view text(reinterpret_cast<const char*>(data), size);
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
