#include "store/properties_json.hpp"

namespace amis::store {

std::string properties_text(const nlohmann::json& properties) {
  return properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json parse_properties(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

void properties_to_values(const nlohmann::json& properties, const core::Collection& c,
                          std::vector<core::Value>& values, std::vector<std::string>& texts) {
  values.resize(c.properties.size());
  texts.resize(c.properties.size());
  for (std::size_t i = 0; i < c.properties.size(); ++i) {
    const auto& v = properties.value(c.properties[i].name, nlohmann::json());
    auto& out = values[i];
    if (v.is_boolean()) out = {core::Value::Kind::Integer, v.get<bool>() ? 1 : 0, 0, {}};
    else if (v.is_number_integer() && c.properties[i].type != core::PropertyType::Real)
      out = {core::Value::Kind::Integer, v.get<std::int64_t>(), 0, {}};
    else if (v.is_number()) out = {core::Value::Kind::Real, 0, v.get<double>(), {}};
    else if (v.is_string()) {
      texts[i] = v.get<std::string>();
      out = {core::Value::Kind::Text, 0, 0, texts[i]};
    } else out = {};
  }
}

}  // namespace amis::store
