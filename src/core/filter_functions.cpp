#include "core/filter_functions.hpp"

#include <cctype>

namespace amis::core {

const std::vector<FilterFunction>& filter_functions() {
  static const std::vector<FilterFunction> functions = {
      {"lower", "The text in lower case (Unicode case mapping).", {"string"}, "string"},
      {"upper", "The text in upper case (Unicode case mapping).", {"string"}, "string"},
      {"length", "The number of characters of the text.", {"string"}, "integer"},
      {"abs", "The absolute value of the number.", {"number"}, "number"},
      // The spatial joins (core/spatial_join.hpp): conditions on another collection.
      {"amis_inside",
       "True when the geometry lies within (as S_WITHIN) a feature of the collection named by the second "
       "argument; the optional third argument, a CQL2-Text condition on that collection, chooses which of "
       "its features count. Example: NOT amis_inside(geom, 'licences', 'status = ''active''')",
       {"geometry", "string", "string"}, "boolean", 1},
      {"amis_within_distance",
       "True when the geometry lies within the distance in metres (great-circle distance on the sphere of "
       "WGS 84's mean radius, 6371008.8 m; at most 1000 km) of a feature of the collection named by the "
       "second argument; the optional fourth argument, a CQL2-Text condition on that collection, chooses "
       "which of its features count. Example: amis_within_distance(geom, 'ports', 50000)",
       {"geometry", "string", "number", "string"}, "boolean", 1},
  };
  return functions;
}

const FilterFunction* find_filter_function(std::string_view name) {
  for (const auto& f : filter_functions()) {
    if (f.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(name[i])) == f.name[i];
    if (same) return &f;
  }
  return nullptr;
}

}  // namespace amis::core
