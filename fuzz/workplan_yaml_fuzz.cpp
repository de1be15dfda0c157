// The work plan's YAML reader (workplan/plan_yaml.cpp): any input is read into a
// plan or refused with ParsingFailed / InvalidValue, within its bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "workplan/plan_yaml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto plan = amis::workplan::parse_work_plan(text, "fuzz");
    if (plan.activities.empty() || plan.areas.empty()) __builtin_trap();  // refused, never returned
    for (const auto& a : plan.activities)
      if (a.outputs.empty() || !plan.activity(a.id)) __builtin_trap();
  } catch (const amis::core::ParsingFailed&) {
  } catch (const amis::core::InvalidValue&) {
  }
  return 0;
}
