#include "edit/change_set.hpp"

#include <array>

#include <sodium.h>

namespace amis::edit {
namespace {

constexpr std::array<const char*, 4> kStates = {"draft", "submitted", "approved", "rejected"};
constexpr std::array<const char*, 3> kOperations = {"insert", "replace", "delete"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<const char*, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (text == names[i]) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

const char* to_string(ChangeSetState state) { return kStates[static_cast<std::size_t>(state)]; }
std::optional<ChangeSetState> parse_change_set_state(std::string_view text) {
  return parse_name<ChangeSetState>(kStates, text);
}

const char* to_string(Operation operation) { return kOperations[static_cast<std::size_t>(operation)]; }
std::optional<Operation> parse_operation(std::string_view text) {
  return parse_name<Operation>(kOperations, text);
}

std::string digest(const FeatureState& state) {
  crypto_generichash_state h;
  std::array<unsigned char, 16> out{};
  crypto_generichash_init(&h, nullptr, 0, out.size());
  const std::uint64_t size = state.wkb.size();
  crypto_generichash_update(&h, reinterpret_cast<const unsigned char*>(&size), sizeof size);
  crypto_generichash_update(&h, state.wkb.data(), state.wkb.size());
  const std::string properties = state.properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  crypto_generichash_update(&h, reinterpret_cast<const unsigned char*>(properties.data()), properties.size());
  crypto_generichash_final(&h, out.data(), out.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : out) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

std::string record_digest(const nlohmann::json& document) { return digest(FeatureState{{}, document}); }

std::string record_id_of(const Change& change) {
  const auto it = change.after.properties.find("id");
  return it != change.after.properties.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace amis::edit
