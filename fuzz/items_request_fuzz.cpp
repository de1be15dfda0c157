// The query string of an items request: percent-decoding, bbox, limit, offset,
// datetime, queryables and `f`. Only OgcError may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/common/negotiation.hpp"
#include "api/features/items_request.hpp"
#include "core/error.hpp"
#include "http/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amis::core::Collection collection = [] {
    amis::core::Collection c;
    c.id = "mines";
    c.properties = {{"name", amis::core::PropertyType::Text},
                    {"opened", amis::core::PropertyType::DateTime}};
    c.temporal_property = "opened";
    return c;
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = amis::http::parse_query(text);
  if (!query) return 0;
  amis::http::Request request;
  request.query = std::move(*query);
  try {
    amis::api::negotiate(request);
    amis::api::features::parse_items_request(request, collection, {});
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
