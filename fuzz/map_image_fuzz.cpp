// Map images come from national nodes' WMS (cascaded layers): reading one into
// pixels may only throw OgcError, and never decodes an image of another size than
// the map's. The first two bytes give the map's size (1..256 pixels each way).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "render/map_image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int width = data[0] + 1, height = data[1] + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);
  try {
    const auto rgba = amis::render::decode_map_image(bytes, width, height);
    if (rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4) __builtin_trap();
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
