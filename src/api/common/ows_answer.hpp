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

// Runs `fn`; an OgcError becomes the XML document `report(error)` with its status.
template <typename Report, typename Fn>
void answer_with_report(http::Request& request, http::Response& response, Report report, Fn fn) {
  constexpr const char* kXml = "application/xml";
  try {
    fn();
  } catch (const core::OgcError& e) {
    if (response.started()) throw;
    response.discard_unsent();
    if (core::hidden_from_client(e)) {
      spdlog::error("{} {}: {}", request.method, request.path, e.what());
      const core::OgcError hidden(500, "NoApplicableCode", "the server could not complete the request", "");
      return response.send(500, kXml, report(hidden));
    }
    response.send(e.status(), kXml, report(e), error_headers(e));
  }
}

template <typename Fn>
void answer_with_exception_report(http::Request& request, http::Response& response, OwsVersion version,
                                  const std::string& report_version, Fn fn) {
  answer_with_report(
      request, response, [&](const core::OgcError& e) { return exception_report(e, version, report_version); }, fn);
}

}  // namespace amis::api
