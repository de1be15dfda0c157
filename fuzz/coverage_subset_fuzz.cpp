// The axis expressions of coverage requests: OGC API `subset=Lon(a:b),Lat(c:d)`,
// WCS `SUBSET=Long,crs(a,b)` and `Lon(512),Lat(256)` scale lists. Only OgcError
// may come out; what is parsed must keep its promises (low <= high, bounded axes).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "coverage/axis_expressions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace cov = amis::coverage;
  try {
    const auto axes = cov::parse_ogcapi_subset(text, "subset");
    if (axes.empty() || axes.size() > cov::kMaxAxes) std::abort();
    for (const auto& a : axes)
      if (a.low && a.high && *a.low > *a.high) std::abort();
  } catch (const amis::core::OgcError&) {
  }
  try {
    const auto s = cov::parse_wcs_subset(text, "subset");
    if (s.low && s.high && *s.low > *s.high) std::abort();
  } catch (const amis::core::OgcError&) {
  }
  try {
    if (cov::parse_axis_values(text, "scalesize").size() > cov::kMaxAxes) std::abort();
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
