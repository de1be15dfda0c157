// Records posted to /collections/catalog/items come straight from editors'
// clients: the GeoJSON record reader may only throw OgcError, and a record it
// returns that catalog::validate accepts must go through the store's JSON form
// (catalog::to_json / record_from_json) unchanged, as a change set carries it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/records/record_input.hpp"
#include "catalog/record_json.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    auto record = amis::api::records::read_record_geojson(body);
    amis::catalog::validate(record);
    const auto document = amis::catalog::to_json(record);
    if (amis::catalog::to_json(amis::catalog::record_from_json(document)) != document)
      __builtin_trap();
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
