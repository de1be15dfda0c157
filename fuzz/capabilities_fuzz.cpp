// WMS, WFS and WMTS capabilities come from national nodes that the regional AMIS
// harvests: the reader may only throw OgcError, and every record it makes must be
// one the catalogue accepts once its id is set (catalog::validate).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "federation/capabilities_reader.hpp"

namespace {

void check(const amis::federation::SourcePage& page) {
  for (const auto& item : page.items) {
    if (item.source_id.empty() || item.digest.size() != 32) __builtin_trap();
    auto record = item.read();
    record.id = "node:x";
    try {
      amis::catalog::validate(record);
    } catch (const amis::core::OgcError&) {  // a title may be too long and the like: refused at put()
    }
    if (record.extent && record.extent->empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check(amis::federation::read_wms_capabilities(text, "http://node.example/wms"));
  } catch (const amis::core::OgcError&) {
  }
  try {
    check(amis::federation::read_wfs_capabilities(text, "http://node.example/wfs"));
  } catch (const amis::core::OgcError&) {
  }
  try {
    check(amis::federation::read_wmts_capabilities(text, "http://node.example/wmts"));
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
