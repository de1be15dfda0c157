// A WCS 1.0.0 KVP query string through asks_for_wcs10 and parse_wcs10_kvp. Only
// OgcError may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/wcs/wcs10_request.hpp"
#include "core/error.hpp"
#include "http/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = amis::http::parse_query(text);
  if (!query) return 0;
  amis::http::Request request;
  request.query = std::move(*query);
  amis::api::wcs::asks_for_wcs10(request);
  try {
    amis::api::wcs::parse_wcs10_kvp(request);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
