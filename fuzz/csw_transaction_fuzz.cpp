// CSW Transaction bodies come straight from editors' clients: the reader of the
// transaction, of its Dublin Core records and of its Delete constraints (mapped
// onto the catalogue's queryables as GetRecords maps them) may only throw OgcError.
#include <cpl_error.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/csw/csw_query.hpp"
#include "api/csw/csw_transaction.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CPLSetErrorHandler(CPLQuietErrorHandler);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const auto transaction = amis::api::csw::parse_transaction(body);
    if (transaction.actions.empty()) __builtin_trap();
    for (const auto& action : transaction.actions) {
      for (const auto& record : action.records)
        if (record.iso_document.empty() == !record.dublin_core)
          __builtin_trap();  // one or the other
      if (action.operation != amis::edit::Operation::Delete) continue;
      auto constraint = action.constraint;
      constraint.operation = "GetRecords";
      constraint.result_type = "results";
      constraint.xml = true;
      try {
        amis::api::csw::get_records_query(constraint);
      } catch (const amis::core::OgcError&) {
      }
    }
  } catch (const amis::core::OgcError&) {
  }
  return 0;
}
