// CSW GetRecords pages come from harvested nodes: reading a page and each of its
// records may only throw OgcError, and a record read must pass catalog::validate.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/iso_schema.hpp"
#include "core/error.hpp"
#include "federation/csw_page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amis::catalog::IsoSchema schema(AMIS_SCHEMA_DIR);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto page = amis::federation::read_csw_records_page(text, schema);
    if (page.matched < 0 || page.next_record < 0) __builtin_trap();
    for (const auto& item : page.page.items) {
      try {
        amis::catalog::validate(item.read());
      } catch (const amis::core::OgcError&) {
      }
    }
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
