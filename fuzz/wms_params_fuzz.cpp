// The query string of a WMS request, through the parameter readers that need no
// store: CQL_FILTER (split per layer, each a CQL2 text filter), EXCEPTIONS,
// FORMAT and the error image's size. Only OgcError may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/wms/wms_filter.hpp"
#include "api/wms/wms_params.hpp"
#include "core/error.hpp"
#include "http/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = amis::http::parse_query(text);
  if (!query) return 0;
  amis::http::Request request;
  request.query = std::move(*query);
  namespace wms = amis::api::wms;
  for (std::size_t layers : {1, 2, 3}) {
    try {
      wms::parse_cql_filter(request, layers);
    } catch (const amis::core::OgcError&) {
    }
  }
  try {
    wms::parse_exceptions(request);
    if (auto f = wms::param(request, "FORMAT")) wms::parse_format(*f);
  } catch (const amis::core::OgcError&) {
  }
  wms::error_image_request(request, {});
  return 0;
}
