// WCS 1.0.0 at /wcs (for QGIS's WCS provider and older clients): the same coverages
// as WCS 2.0.1, a GetCoverage answering exactly the BBOX at WIDTH x HEIGHT (or
// RESX/RESY), errors as 1.0.0 ServiceExceptionReports with their 4xx status.
#include <cmath>

#include "api/common/ows_answer.hpp"
#include "api/common/coverage_answer.hpp"
#include "api/common/ows_request.hpp"
#include "api/coverages/coverage_query.hpp"
#include "api/wcs/wcs10_documents.hpp"
#include "api/wcs/wcs10_request.hpp"
#include "api/wcs/wcs_service.hpp"
#include "coverage/axis_expressions.hpp"
#include "coverage/coverage_output.hpp"
#include "coverage/coverage_plan.hpp"

namespace amis::api::wcs {
namespace {

constexpr const char* kXml = "application/xml";

// The 1.0.0 name of a parameter the coverage layer or the 2.0.1 code named.
std::string locator10(const std::string& locator) {
  if (locator == "subset") return "BBOX";
  if (locator == "coverageid") return "COVERAGE";
  if (locator == "crs" || locator == "outputcrs") return "RESPONSE_CRS";
  if (locator == "properties") return "BAND";
  if (locator == "scale-size") return "WIDTH";
  if (locator == "resolution") return "RESX";
  return locator;
}

// An error in WCS 1.0.0's codes (CoverageNotDefined, InvalidFormat,
// MissingParameterValue, InvalidParameterValue, ...), with its status.
core::OgcError as_wcs10(const core::OgcError& e) {
  static const char* const kept[] = {"MissingParameterValue", "InvalidParameterValue", "InvalidFormat",
                                     "OperationNotSupported", "NoApplicableCode", "CoverageNotDefined"};
  std::string code = e.code() == "NoSuchCoverage" ? "CoverageNotDefined" : "InvalidParameterValue";
  for (const char* k : kept)
    if (e.code() == k) code = k;
  return core::OgcError(e.status(), code, e.what(), locator10(e.locator()));
}

core::Crs crs10(const std::string& text, const char* locator) {
  const auto srs = core::parse_srs_name(text);
  if (!srs) throw WcsError(400, "InvalidParameterValue", "'" + text.substr(0, 80) + "' is not a CRS (EPSG:n)", locator);
  try {
    coverage::is_geographic(srs->crs, locator);
  } catch (const core::InvalidParameter& e) {
    throw WcsError(400, "InvalidParameterValue", e.what(), locator);
  }
  return srs->crs;
}

coverage::Encoding encoding10(const std::string& format) {
  const std::string f = upper(format);
  if (f == "GEOTIFF" || f == "GTIFF" || f == "IMAGE/TIFF" || f == "IMAGE/GEOTIFF" ||
      f == "IMAGE/TIFF; APPLICATION=GEOTIFF" || f == "IMAGE/TIFF;APPLICATION=GEOTIFF")
    return coverage::Encoding::GeoTiff;
  if (f == "PNG" || f == "IMAGE/PNG") return coverage::Encoding::Png;
  throw WcsError(400, "InvalidFormat", "FORMAT is GeoTIFF (image/tiff) or PNG (image/png)", "FORMAT");
}

}  // namespace

void WcsService::kvp10(http::Request& request, http::Response& response) {
  answer_with_report(
      request, response, [](const core::OgcError& e) { return wcs10_exception_report(as_wcs10(e)); },
      [&] {
        const auto wanted = read_ows_request(request, [](const std::string&) { return Wcs10Request{}; },
                                             [](const http::Request& r) { return parse_wcs10_kvp(r); });
        const std::string url = http::base_url(request, info_.base_url) + "/wcs";
        switch (wanted.operation) {
          case WcsOperation::GetCapabilities:
            return response.send(200, kXml, wcs10_capabilities(url, info_, all_described()),
                                 http::cache_headers(request));
          case WcsOperation::DescribeCoverage: {
            std::vector<DescribedCoverage> list;
            if (wanted.coverages.empty()) list = all_described();
            for (const auto& id : wanted.coverages) list.push_back(described(id));
            return response.send(200, kXml, wcs10_coverage_description(list), http::cache_headers(request));
          }
          case WcsOperation::GetCoverage:
            return get_coverage10(wanted.get_coverage, request, response);
        }
      });
}

void WcsService::get_coverage10(const Wcs10GetCoverage& wanted, const http::Request& request,
                                http::Response& response) {
  const auto c = described(wanted.coverage);
  coverage::CoverageRequest r;
  r.exact_box = true;
  r.encoding = encoding10(wanted.format);
  const core::Crs crs = crs10(wanted.crs, "CRS");
  r.subset = {wanted.bbox.min_x, wanted.bbox.max_x, wanted.bbox.min_y, wanted.bbox.max_y, crs};
  r.output_crs = wanted.response_crs.empty() ? crs : crs10(wanted.response_crs, "RESPONSE_CRS");
  r.scale.width = wanted.width;
  r.scale.height = wanted.height;
  r.scale.resolution_x = wanted.resx;
  r.scale.resolution_y = wanted.resy;
  for (const auto& b : wanted.bands) {  // a value of the Band axis (1..n) or a band's name
    const auto n = coverage::parse_number(b);
    if (n && *n >= 1 && *n <= static_cast<double>(c.bands.size()) && *n == std::floor(*n))
      r.bands.push_back(static_cast<int>(*n));
    else
      for (int k : coverages::band_numbers(b, c.bands, "BAND")) r.bands.push_back(k);
  }
  r.interpolation = wanted.interpolation;
  const auto plan = coverage::plan_coverage(c.info, r, limits_);
  auto encoded = coverage::encode_coverage(open_grids_, c.layer.path, plan, c.bands);
  http::Headers headers = http::cache_headers(request);
  const bool png = plan.encoding == coverage::Encoding::Png;
  headers.emplace_back("Content-Disposition", "inline; filename=\"" + c.layer.id + (png ? ".png\"" : ".tif\""));
  send_coverage(response, encoded, png ? "image/png" : "image/tiff", headers);
}

}  // namespace amis::api::wcs
