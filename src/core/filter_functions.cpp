#include "core/filter_functions.hpp"

#include <cctype>

namespace amis::core {

const std::vector<FilterFunction>& filter_functions() {
  static const std::vector<FilterFunction> functions = {
      {"lower", "The text in lower case (Unicode case mapping).", {"string"}, "string"},
      {"upper", "The text in upper case (Unicode case mapping).", {"string"}, "string"},
      {"length", "The number of characters of the text.", {"string"}, "integer"},
      {"abs", "The absolute value of the number.", {"number"}, "number"},
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
