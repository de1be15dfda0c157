#pragma once
// OWS Common exception reports: the error format of WFS (and later WMS 1.3,
// WMTS, CSW). OWS 1.1 for WFS 2.0 and WMTS, OWS 1.0 for WFS 1.1.
#include <string>

#include "core/error.hpp"
#include "http/router.hpp"

namespace amis::api {

enum class OwsVersion { V1_0, V1_1 };

// The ows:ExceptionReport document for an error (its message, code and locator).
std::string exception_report(const core::OgcError& error, OwsVersion version,
                             const std::string& report_version);

}  // namespace amis::api
