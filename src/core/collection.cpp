#include "core/collection.hpp"

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

}  // namespace amis::core
