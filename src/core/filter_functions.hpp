#pragma once
// The functions filters may call (CQL2 "functions" class), published at
// /functions and compiled by each store. One list, so that what is advertised
// is exactly what runs.
#include <string>
#include <string_view>
#include <vector>

namespace amis::core {

struct FilterFunction {
  std::string name;         // as written in filters (matched case-insensitively)
  std::string description;
  std::vector<std::string> arguments;  // CQL2 types of the arguments: "string", "number", ...
  std::string returns;
  // How many of the last arguments may be left out (the spatial joins' condition).
  std::size_t optional = 0;
};

const std::vector<FilterFunction>& filter_functions();

// nullptr when there is no such function.
const FilterFunction* find_filter_function(std::string_view name);

}  // namespace amis::core
