#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/datetime.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  amis::core::parse_instant(text);
  try {
    const auto interval = amis::core::parse_datetime_parameter(text);
    if (interval.start && interval.end && *interval.start > *interval.end) __builtin_trap();
  } catch (const amis::core::InvalidParameter&) {
  }
  return 0;
}
