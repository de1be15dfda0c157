// The language of the country profiles' pages (issue 20): a `lang` parameter and
// the Accept-Language header, both client text. Only InvalidParameter may come out
// (a `lang` that is none of the four); the header alone always chooses one of them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/translations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto& chosen = amis::core::choose_language(nullptr, input);
  if (!amis::core::language(chosen.code)) std::abort();
  // The first line as a `lang` parameter, the rest as the header.
  const auto newline = input.find('\n');
  if (newline != std::string_view::npos) {
    const std::string asked(input.substr(0, newline));
    try {
      const auto& l = amis::core::choose_language(&asked, input.substr(newline + 1));
      if (asked != l.code) std::abort();
    } catch (const amis::core::InvalidParameter&) {
      if (amis::core::language(asked)) std::abort();
    }
  }
  return 0;
}
