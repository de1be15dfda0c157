#include "core/collection.hpp"

#include <algorithm>

namespace amis::core {

const char* to_string(PropertyType type) {
  switch (type) {
    case PropertyType::Integer: return "integer";
    case PropertyType::Real: return "number";
    case PropertyType::Text: return "string";
    case PropertyType::Boolean: return "boolean";
    case PropertyType::Date: return "date";
    case PropertyType::DateTime: return "date-time";
  }
  return "string";
}

bool is_map_layer(const Collection& collection) {
  return collection.geometry_type != "GEOMETRY" || (collection.extent && !collection.extent->empty());
}

Collection project(const Collection& collection,
                   const std::optional<std::vector<std::string>>& names) {
  if (!names) return collection;
  Collection projected = collection;
  projected.properties.clear();
  for (const auto& p : collection.properties)
    if (std::find(names->begin(), names->end(), p.name) != names->end())
      projected.properties.push_back(p);
  return projected;
}

}  // namespace amis::core
