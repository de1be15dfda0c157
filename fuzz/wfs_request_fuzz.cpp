// WFS POST bodies and the FES filters in them come straight from clients: the
// request reader and the filter reader may only throw OgcError, and what parses
// must be printable. The input is also read as a bare filter (the KVP FILTER).
#include <cpl_error.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/wfs/wfs_query.hpp"
#include "api/wfs/wfs_request.hpp"
#include "core/collection.hpp"
#include "core/crs.hpp"
#include "core/error.hpp"
#include "core/expression.hpp"
#include "query/fes.hpp"

namespace {

void read_filter(std::string_view xml, const amis::core::Collection& collection,
                 const amis::core::SrsName& srs) {
  const auto filter = amis::query::parse_fes_filter_text(xml, {collection, srs});
  if (filter.expression) amis::core::to_debug_string(*filter.expression);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CPLSetErrorHandler(CPLQuietErrorHandler);  // OGR's GML reader reports bad geometries on stderr
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amis::core::Collection collection = [] {
    amis::core::Collection c;
    c.id = "mines";
    c.properties = {{"name", amis::core::PropertyType::Text},
                    {"iso3", amis::core::PropertyType::Text},
                    {"workers", amis::core::PropertyType::Integer},
                    {"capacity", amis::core::PropertyType::Real},
                    {"surveyed", amis::core::PropertyType::Date},
                    {"opened", amis::core::PropertyType::DateTime},
                    {"active", amis::core::PropertyType::Boolean}};
    return c;
  }();
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const auto request = amis::api::wfs::parse_xml_request(body);
    if (!request.filter.empty()) read_filter(request.filter, collection, amis::core::SrsName{});
  } catch (const amis::core::OgcError&) {
  }
  try {
    // A KVP FILTER, read in the default srsName of WFS 2.0 (latitude first).
    read_filter(body, collection, amis::api::wfs::default_srs(true));
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
