#pragma once
// OWS Common exception reports: the error format of WFS, WMTS, CSW and WCS.
// OWS 1.1 for WFS 2.0 and WMTS, OWS 1.0 for WFS 1.1, OWS 2.0 for WCS 2.0.
#include <string>

#include "core/error.hpp"
#include "http/router.hpp"

namespace amis::api {

enum class OwsVersion { V1_0, V1_1, V2_0 };

// The ows:ExceptionReport document for an error (its message, code and locator).
std::string exception_report(const core::OgcError& error, OwsVersion version,
                             const std::string& report_version);

}  // namespace amis::api
