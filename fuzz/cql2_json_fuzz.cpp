// CQL2-JSON filters come straight from clients: only InvalidParameter may come
// out, and the debug form of whatever parses must be printable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "query/cql2.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto tree = amis::query::parse_cql2_json(text);
    amis::core::to_debug_string(tree);
  } catch (const amis::core::InvalidParameter&) {
  }
  return 0;
}
