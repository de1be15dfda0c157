#pragma once
// Runs an OWS handler (WMTS, WCS) so that every OgcError becomes an OWS
// ExceptionReport with its status; a server error is logged and reported without
// its message.
#include <spdlog/spdlog.h>

#include <string>

#include "api/common/exception_response.hpp"
#include "api/common/ows_exception.hpp"
#include "core/error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace amis::api {

template <typename Fn>
void answer_with_exception_report(http::Request& request, http::Response& response, OwsVersion version,
                                  const std::string& report_version, Fn fn) {
  constexpr const char* kXml = "application/xml";
  try {
    fn();
  } catch (const core::OgcError& e) {
    if (response.started()) throw;
    response.discard_unsent();
    if (core::hidden_from_client(e)) {
      spdlog::error("{} {}: {}", request.method, request.path, e.what());
      const core::OgcError hidden(500, "NoApplicableCode", "the server could not complete the request", "");
      return response.send(500, kXml, exception_report(hidden, version, report_version));
    }
    response.send(e.status(), kXml, exception_report(e, version, report_version), error_headers(e));
  }
}

}  // namespace amis::api
