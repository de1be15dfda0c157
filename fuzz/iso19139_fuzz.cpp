// ISO 19139 documents come from files an importer is given and (later) from
// uploads and harvests: the reader may only throw OgcError, and what it accepts
// must be a record every encoder can write (catalog::validate holds).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/iso19139_reader.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amis::catalog::IsoSchema schema(AMIS_SCHEMA_DIR);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto record = amis::catalog::read_iso19139(text, schema);
    amis::catalog::validate(record);  // what the reader returns must pass
    if (record.id.empty() || record.title.empty()) __builtin_trap();
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
