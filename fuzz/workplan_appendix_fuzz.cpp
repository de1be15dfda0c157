// The Appendix CSV (workplan/appendix_csv.cpp): any input is imported or refused
// with ParsingFailed / InvalidValue, and a refused import leaves the plan as it was.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "workplan/appendix_csv.hpp"

namespace {

amis::workplan::WorkPlan plan() {
  amis::workplan::WorkPlan p;
  p.id = "FUZZ";
  p.title = "Fuzz";
  p.period_start = 2022;
  p.period_end = 2025;
  p.areas = {{"I", "A", "Area"}};
  for (const char* id : {"1.1", "1.2", "4.2"}) {
    amis::workplan::Activity a;
    a.id = id;
    a.area = "A";
    a.text = "activity";
    a.outputs = {{"first"}, {"second"}};
    p.activities.push_back(a);
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    amis::workplan::read_csv(text);
  } catch (const amis::core::ParsingFailed&) {
  }
  auto p = plan();
  try {
    amis::workplan::import_appendix(p, text);
    for (const auto& a : p.activities)
      for (const auto& i : a.indicators)
        if (i.output < 1 || i.output > static_cast<int>(a.outputs.size())) __builtin_trap();
  } catch (const amis::core::ParsingFailed&) {
    if (!p.activities[0].indicators.empty()) __builtin_trap();
  } catch (const amis::core::InvalidValue&) {
    if (!p.activities[0].indicators.empty() || !p.activities[0].lead.empty()) __builtin_trap();
  }
  return 0;
}
