// CSW POST bodies (GetRecords with an ogc:Filter or csw:CqlText) come straight
// from clients: the request reader, the filter readers and the mapping onto the
// catalogue's queryables may only throw OgcError. The input is also read as the
// CQL_TEXT of a KVP GetRecords.
#include <cpl_error.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/csw/csw_query.hpp"
#include "api/csw/csw_request.hpp"
#include "core/error.hpp"
#include "core/expression.hpp"

namespace {

void typed(const amis::api::csw::CswRequest& request) {
  if (request.operation != "GetRecords") return;
  const auto q = amis::api::csw::get_records_query(request);
  if (q.query.filter) amis::core::to_debug_string(*q.query.filter);
  if (q.max_records < 0 || q.start_position < 1) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CPLSetErrorHandler(CPLQuietErrorHandler);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    typed(amis::api::csw::parse_xml_request(body));
  } catch (const amis::core::OgcError&) {
  }
  try {
    amis::api::csw::CswRequest kvp;
    kvp.operation = "GetRecords";
    kvp.type_names = {"csw:Record"};
    kvp.result_type = "results";
    kvp.constraint_language = "CQL_TEXT";
    kvp.constraint = std::string(body);
    typed(kvp);
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
