// Pages of a national AMIS node's change feed (issue 16) come from another
// server: reading one may only throw OgcError, and what it reads written back
// as a feed entry reads again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "federation/change_feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  amis::federation::FeedLimits limits;
  limits.max_bytes = 1u << 20;
  limits.max_operations = 1000;
  try {
    const auto page = amis::federation::read_change_feed(text, limits);
    for (const auto& cs : page.changes)
      for (const auto& op : cs.operations) (void)op.feature.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
