// A WCS 2.0.1 XML/POST request document through parse_wcs_xml. Only OgcError may
// come out; nothing may crash, leak or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/wcs/wcs_xml_request.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    amis::api::wcs::parse_wcs_xml(text);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
