// Pages of features in GML come from WFS nodes that offer no GeoJSON (cascaded
// and mirrored collections): inferring a schema from one and reading it with that
// schema may only throw OgcError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "federation/gml_page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  amis::core::Collection c;
  try {
    amis::federation::infer_gml_schema(text, c);
    const auto page = amis::federation::read_gml_page(text, c, 1);
    std::vector<std::size_t> all(c.properties.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<amis::core::Value> values;
    for (const auto& f : page.features) f.view(all, values);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
