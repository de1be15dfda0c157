#include "store/workplan_rows.hpp"

#include <nlohmann/json.hpp>

namespace amis::store {

std::string join_countries(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ";") + c;
  return out;
}

std::vector<std::string> split_countries(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto semi = text.find(';');
    if (semi != 0) out.emplace_back(text.substr(0, semi));
    if (semi == std::string_view::npos) break;
    text.remove_prefix(semi + 1);
  }
  return out;
}

std::string targets_text(const std::map<int, std::string>& targets) {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& [year, value] : targets) doc[std::to_string(year)] = value;
  return doc.dump();
}

std::map<int, std::string> targets_from_text(std::string_view text) {
  std::map<int, std::string> out;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return out;
  for (const auto& [year, value] : doc.items())
    if (value.is_string()) out[std::atoi(year.c_str())] = value.get<std::string>();
  return out;
}

}  // namespace amis::store
