#include "store/run_failures.hpp"

#include <nlohmann/json.hpp>

namespace amis::store {

std::string failures_json(const std::vector<federation::HarvestFailure>& failures) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : failures) out.push_back({{"sourceId", f.source_id}, {"reason", f.reason}});
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<federation::HarvestFailure> failures_from_json(std::string_view text) {
  std::vector<federation::HarvestFailure> out;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_array()) return out;
  for (const auto& f : doc)
    if (f.is_object()) out.push_back({f.value("sourceId", std::string()), f.value("reason", std::string())});
  return out;
}

std::string page_items_json(const std::vector<std::pair<std::string, std::string>>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [source_id, digest] : items) out.push_back({source_id, digest});
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> page_items_from_json(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_array()) return out;
  for (const auto& item : doc)
    if (item.is_array() && item.size() == 2 && item[0].is_string() && item[1].is_string())
      out.emplace_back(item[0].get<std::string>(), item[1].get<std::string>());
  return out;
}

}  // namespace amis::store
