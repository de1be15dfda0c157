#include "api/wcs/wcs_request.hpp"

#include <algorithm>

namespace amis::api::wcs {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The values of a parameter, by name in any case.
std::vector<std::string_view> kvp_values(const http::Request& request, std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : request.query)
    if (upper(k) == name) out.push_back(v);
  return out;
}

std::optional<std::string> single_kvp(const http::Request& request, const char* name) {
  const auto all = kvp_values(request, name);
  if (all.empty()) return std::nullopt;
  if (all.size() > 1)
    throw WcsError(400, "InvalidParameterValue", std::string("the parameter ") + name + " is given more than once",
                   name);
  return std::string(all.front());
}

std::string required_kvp(const http::Request& request, const char* name) {
  auto v = single_kvp(request, name);
  if (!v || v->empty())
    throw WcsError(400, "MissingParameterValue", std::string("the parameter ") + name + " is required", name);
  return *v;
}

namespace {

// Turns the coverage parsers' InvalidParameter into the WCS code for that parameter.
template <class Fn>
auto as_wcs(const char* code, const char* locator, Fn fn) {
  try {
    return fn();
  } catch (const core::InvalidParameter& e) {
    throw WcsError(400, code, e.what(), locator);
  }
}

}  // namespace

WcsError unsupported_operation(const std::string& operation) {
  return WcsError(400, "OperationNotSupported",
                  "this WCS answers GetCapabilities, DescribeCoverage and GetCoverage, not '" +
                      operation.substr(0, 40) + "'",
                  "request");
}

coverage::Interpolation interpolation_method(std::string_view text) {
  static const std::pair<const char*, coverage::Interpolation> known[] = {
      {"http://www.opengis.net/def/interpolation/OGC/1/nearest-neighbour", coverage::Interpolation::Nearest},
      {"http://www.opengis.net/def/interpolation/OGC/1/nearest-neighbor", coverage::Interpolation::Nearest},
      {"http://www.opengis.net/def/interpolation/OGC/1/linear", coverage::Interpolation::Linear},
      {"http://www.opengis.net/def/interpolation/OGC/1/cubic", coverage::Interpolation::Cubic},
      {"nearest-neighbour", coverage::Interpolation::Nearest},
      {"nearest", coverage::Interpolation::Nearest},
      {"linear", coverage::Interpolation::Linear},
      {"bilinear", coverage::Interpolation::Linear},
      {"cubic", coverage::Interpolation::Cubic}};
  for (const auto& [name, value] : known)
    if (text == name) return value;
  throw WcsError(400, "InterpolationMethodNotSupported",
                 "INTERPOLATION is one of http://www.opengis.net/def/interpolation/OGC/1/nearest-neighbour, "
                 "linear or cubic",
                 "interpolation");
}

void check_subsets(const GetCoverageRequest& request) {
  if (request.subsets.size() > coverage::kMaxAxes)
    throw WcsError(400, "InvalidSubsetting", "at most " + std::to_string(coverage::kMaxAxes) + " SUBSETs", "subset");
  const auto& subsets = request.subsets;
  for (std::size_t i = 0; i < subsets.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (upper(subsets[i].axis) == upper(subsets[j].axis))
        throw WcsError(400, "InvalidAxisLabel", "the axis " + subsets[i].axis + " is subset twice", "subset");
}

void check_scaling(const GetCoverageRequest& request, int scalings) {
  if (request.scale_factor && (!(*request.scale_factor > 0) || *request.scale_factor > 1e6))
    throw WcsError(400, "InvalidScaleFactor", "SCALEFACTOR is a number > 0", "scalefactor");
  for (const auto& a : request.scale_axes)
    if (!(a.value > 0) || a.value > 1e6) throw WcsError(400, "InvalidScaleFactor", "a scale factor is > 0", "scaleaxes");
  for (const auto& a : request.scale_size)
    if (a.value < 1 || a.value > 1e9 || a.value != static_cast<double>(static_cast<long long>(a.value)))
      throw WcsError(400, "InvalidExtent", "a scale size is a whole number >= 1", "scalesize");
  if (scalings > 1)
    throw WcsError(400, "InvalidParameterValue", "give one of SCALEFACTOR, SCALEAXES and SCALESIZE", "scalefactor");
}

namespace {

GetCoverageRequest get_coverage(const http::Request& request) {
  GetCoverageRequest out;
  out.coverage_id = required_kvp(request, "COVERAGEID");
  const auto subsets = kvp_values(request, "SUBSET");
  if (subsets.size() > coverage::kMaxAxes)
    throw WcsError(400, "InvalidSubsetting", "at most " + std::to_string(coverage::kMaxAxes) + " SUBSETs", "subset");
  for (auto s : subsets)
    out.subsets.push_back(as_wcs("InvalidEncodingSyntax", "subset", [&] { return coverage::parse_wcs_subset(s, "subset"); }));
  check_subsets(out);
  if (auto crs = single_kvp(request, "SUBSETTINGCRS")) out.subsetting_crs = *crs;
  if (auto crs = single_kvp(request, "OUTPUTCRS")) out.output_crs = *crs;
  if (auto format = single_kvp(request, "FORMAT")) out.format = *format;
  if (single_kvp(request, "MEDIATYPE"))
    throw WcsError(400, "InvalidParameterValue", "multipart responses (MEDIATYPE) are not offered", "mediatype");
  int scalings = 0;
  if (auto factor = single_kvp(request, "SCALEFACTOR")) {
    ++scalings;
    auto v = coverage::parse_number(*factor);
    if (!v) throw WcsError(400, "InvalidScaleFactor", "SCALEFACTOR is a number > 0", "scalefactor");
    out.scale_factor = *v;
  }
  if (auto axes = single_kvp(request, "SCALEAXES")) {
    ++scalings;
    out.scale_axes = as_wcs("InvalidScaleFactor", "scaleaxes", [&] { return coverage::parse_axis_values(*axes, "scaleaxes"); });
  }
  if (auto size = single_kvp(request, "SCALESIZE")) {
    ++scalings;
    out.scale_size = as_wcs("InvalidExtent", "scalesize", [&] { return coverage::parse_axis_values(*size, "scalesize"); });
  }
  if (single_kvp(request, "SCALEEXTENT"))
    throw WcsError(400, "InvalidParameterValue", "SCALEEXTENT is not offered: use SCALESIZE", "scaleextent");
  check_scaling(out, scalings);
  if (auto range = single_kvp(request, "RANGESUBSET")) out.range_subset = *range;
  if (auto method = single_kvp(request, "INTERPOLATION")) out.interpolation = interpolation_method(*method);
  return out;
}

}  // namespace

WcsRequest parse_wcs_kvp(const http::Request& request) {
  const auto service = single_kvp(request, "SERVICE");
  if (service && upper(*service) != "WCS")
    throw WcsError(400, "InvalidParameterValue", "SERVICE must be WCS", "service");
  const std::string operation = required_kvp(request, "REQUEST");
  WcsRequest out;
  if (operation == "GetCapabilities") {
    if (auto accept = single_kvp(request, "ACCEPTVERSIONS")) {
      bool ok = false;
      std::size_t start = 0;
      while (start <= accept->size()) {
        const auto comma = accept->find(',', start);
        ok = ok || accept->substr(start, comma - start) == "2.0.1" || accept->substr(start, comma - start) == "2.0.0";
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      if (!ok) throw WcsError(400, "VersionNegotiationFailed", "this WCS speaks 2.0.1", "acceptversions");
    }
    out.operation = WcsOperation::GetCapabilities;
    return out;
  }
  if (!service) throw WcsError(400, "MissingParameterValue", "the parameter SERVICE is required", "service");
  const std::string version = required_kvp(request, "VERSION");
  if (version != "2.0.1" && version != "2.0.0")
    throw WcsError(400, "InvalidParameterValue", "VERSION must be 2.0.1", "version");
  if (operation == "DescribeCoverage") {
    out.operation = WcsOperation::DescribeCoverage;
    const std::string ids = required_kvp(request, "COVERAGEID");
    std::size_t start = 0;
    while (start <= ids.size()) {
      const auto comma = ids.find(',', start);
      out.coverage_ids.push_back(ids.substr(start, comma - start));
      if (out.coverage_ids.size() > 100)
        throw WcsError(400, "InvalidParameterValue", "at most 100 coverages at once", "coverageid");
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  }
  if (operation == "GetCoverage") {
    out.operation = WcsOperation::GetCoverage;
    out.get_coverage = get_coverage(request);
    return out;
  }
  throw unsupported_operation(operation);
}

}  // namespace amis::api::wcs
