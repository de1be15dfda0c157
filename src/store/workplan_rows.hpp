#pragma once
// What both backends' work-plan tables share: the DDL's shape and the columns
// that hold lists (partners as "A;B", targets as a JSON object by year).
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace amis::store {

std::string join_countries(const std::vector<std::string>& codes);
std::vector<std::string> split_countries(std::string_view text);
std::string targets_text(const std::map<int, std::string>& targets);
std::map<int, std::string> targets_from_text(std::string_view text);

}  // namespace amis::store
