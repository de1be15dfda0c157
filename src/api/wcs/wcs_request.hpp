#pragma once
// WCS 2.0.1 requests in the KVP encoding (OGC 09-147r3) with the CRS (11-053r1),
// scaling (12-039), range subsetting (12-040) and interpolation (12-049)
// extensions, read into typed values. Parameter names in any case; values as
// written. Nothing here knows the coverages: checking ids, axes and bands against
// them is the service's.
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "coverage/axis_expressions.hpp"
#include "coverage/coverage_request.hpp"
#include "http/request.hpp"

namespace amis::api::wcs {

// A WCS error: its exception code, HTTP status (400 or 404) and locator.
struct WcsError : core::OgcError {
  WcsError(int status, const std::string& code, const std::string& message, const std::string& locator = {})
      : core::OgcError(status, code, message, locator) {}
};

enum class WcsOperation { GetCapabilities, DescribeCoverage, GetCoverage };

struct GetCoverageRequest {
  std::string coverage_id;
  std::vector<coverage::AxisSubset> subsets;
  std::string subsetting_crs;  // as written; empty: the coverage's
  std::string output_crs;      // as written; empty: the coverage's
  std::string format = "image/tiff";
  std::optional<double> scale_factor;
  std::vector<coverage::AxisValue> scale_axes;
  std::vector<coverage::AxisValue> scale_size;
  std::string range_subset;  // as written: "b1,b3:b5"
  coverage::Interpolation interpolation = coverage::Interpolation::Nearest;
};

struct WcsRequest {
  WcsOperation operation = WcsOperation::GetCapabilities;
  std::vector<std::string> coverage_ids;  // DescribeCoverage
  GetCoverageRequest get_coverage;
};

// The KVP readers' helpers (2.0.1 and 1.0.0): parameter names in any case; a
// parameter given twice is an InvalidParameterValue, a missing required one a
// MissingParameterValue.
std::string upper(std::string_view s);
std::vector<std::string_view> kvp_values(const http::Request& request, std::string_view name);
std::optional<std::string> single_kvp(const http::Request& request, const char* name);
std::string required_kvp(const http::Request& request, const char* name);

// The refusal of an operation this WCS does not answer (any encoding).
WcsError unsupported_operation(const std::string& operation);

// An interpolation method by its OGC URI (or short name).
// @throws WcsError InterpolationMethodNotSupported for any other.
coverage::Interpolation interpolation_method(std::string_view text);

// The checks every encoding's GetCoverage passes: at most kMaxAxes subsets, no
// axis subset twice; scale factors > 0, sizes whole numbers >= 1, at most one way
// of scaling (`scalings`, counted by the reader).
// @throws WcsError
void check_subsets(const GetCoverageRequest& request);
void check_scaling(const GetCoverageRequest& request, int scalings);

// @throws WcsError with the WCS exception codes (MissingParameterValue,
// InvalidParameterValue, OperationNotSupported, VersionNegotiationFailed,
// InvalidEncodingSyntax, InterpolationMethodNotSupported, InvalidScaleFactor, ...).
WcsRequest parse_wcs_kvp(const http::Request& request);

}  // namespace amis::api::wcs
