// The country profile document reader (invest/country_profile.cpp) and the edit
// of some fields over it: any input is read into a profile whose every value has
// its field, source and date, or refused with ParsingFailed / InvalidValue.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "invest/country_profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto fields = amis::invest::load_field_list(AMIS_STATIC_DIR "/invest/profile-fields.json");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto profile = amis::invest::parse_profile_document(text, fields);
    for (const auto& [key, value] : profile.values)
      if (!fields.field(key) || value.source.empty() || value.as_of.size() != 10) __builtin_trap();
    const auto edit = nlohmann::json::parse(text, nullptr, false);
    if (edit.is_object()) amis::invest::apply_edit(profile, {{"fields", edit}}, fields);
  } catch (const amis::core::ParsingFailed&) {
  } catch (const amis::core::InvalidValue&) {
  }
  return 0;
}
