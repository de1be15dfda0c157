// OGC API - Records pages, OGC API - Features collection lists and landing pages
// come from harvested nodes: the readers may only throw OgcError (a record's own
// faults surface when it is read), and node URLs found in them are parsed safely.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "federation/ogcapi_reader.hpp"
#include "federation/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto page = amis::federation::read_records_page(text);
    for (const auto& item : page.page.items) {
      try {
        item.read();
      } catch (const amis::core::OgcError&) {
      }
    }
    if (!page.next.empty()) {
      const auto base = amis::federation::parse_node_url("http://node.example/collections/catalog/items");
      try {
        amis::federation::resolve(base, page.next);
      } catch (const amis::core::OgcError&) {
      }
    }
  } catch (const amis::core::OgcError&) {
  }
  try {
    for (const auto& item : amis::federation::read_features_collections(text, "http://node.example/collections").items)
      item.read();
  } catch (const amis::core::OgcError&) {
  }
  try {
    amis::federation::collections_href(text);
  } catch (const amis::core::OgcError&) {
  }
  try {
    amis::federation::parse_node_url(text);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
