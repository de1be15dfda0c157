// Pages of features come from national nodes (cascaded and mirrored collections):
// reading one, inferring a schema from it, and writing a filter read from it back
// as CQL2-JSON (what a cascade forwards) may only throw OgcError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "federation/collection_json.hpp"
#include "federation/remote_page.hpp"
#include "query/cql2.hpp"
#include "query/cql2_json_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  amis::core::Collection c;
  try {
    amis::federation::infer_schema(text, c);
    const auto page = amis::federation::read_remote_page(text, c, 1);
    std::vector<std::size_t> all(c.properties.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<amis::core::Value> values;
    for (const auto& f : page.features) f.view(all, values);
    amis::federation::collection_from_json(amis::federation::collection_json(c));
  } catch (const amis::core::OgcError&) {
  }
  try {
    amis::federation::collection_from_json(text);
  } catch (const amis::core::OgcError&) {
  }
  try {
    const auto filter = amis::query::parse_cql2_json(text);
    if (const auto written = amis::query::to_cql2_json(filter)) amis::query::parse_cql2_json(*written);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
