#include "api/wcs/wcs_service.hpp"

#include <spdlog/spdlog.h>

#include "api/common/coverage_answer.hpp"
#include "api/common/ows_answer.hpp"
#include "api/common/ows_request.hpp"
#include "api/coverages/coverage_documents.hpp"
#include "api/coverages/coverage_query.hpp"
#include "api/wcs/wcs10_request.hpp"
#include "api/wcs/wcs_request.hpp"
#include "api/wcs/wcs_xml_request.hpp"
#include "coverage/coverage_output.hpp"
#include "coverage/coverage_plan.hpp"

namespace amis::api::wcs {
namespace {

constexpr const char* kXml = "application/xml";

// WCS 2.0's codes for what the coverage layer reports with generic ones.
core::OgcError wcs_error(const core::OgcError& e) {
  if (e.status() == 404 && e.code() == "NotFound") return WcsError(404, "InvalidSubsetting", e.what(), "subset");
  if (e.status() == 400 && e.code() == "InvalidParameterValue") {
    const auto& l = e.locator();
    if (l == "properties") return WcsError(404, "NoSuchField", e.what(), "rangesubset");
    if (l == "crs") return WcsError(400, "OutputCrs-NotSupported", e.what(), "outputcrs");
    if (l == "subset") return WcsError(400, "InvalidSubsetting", e.what(), "subset");
  }
  return e;
}

// Runs a WCS handler: every error, with the WCS code where the coverage layer used a
// generic one, becomes an OWS 2.0 ExceptionReport.
template <typename Fn>
void answer(http::Request& request, http::Response& response, Fn fn) {
  answer_with_exception_report(request, response, OwsVersion::V2_0, "2.0.1", [&] {
    try {
      fn();
    } catch (const WcsError&) {
      throw;
    } catch (const core::OgcError& e) {
      if (core::hidden_from_client(e)) throw;
      throw wcs_error(e);
    }
  });
}

std::optional<core::Crs> crs_of(const std::string& text, const coverage::CoverageInfo& info, const char* code,
                                 const char* locator) {
  if (text.empty()) return std::nullopt;
  auto crs = core::parse_crs(text);
  if (!crs) throw WcsError(400, code, "'" + text.substr(0, 80) + "' is not a CRS URI", locator);
  try {
    coverage::is_geographic(*crs, locator);
  } catch (const core::InvalidParameter& e) {
    throw WcsError(400, code, e.what(), locator);
  }
  // EPSG:4326 is how this WCS names a CRS84 grid: the same CRS.
  if (info.crs && info.crs->is_crs84() && crs->epsg == 4326) return core::Crs{};
  return crs;
}

// RANGESUBSET: names and intervals "a:b" of the coverage's bands, in order.
std::vector<int> range_subset(const std::string& text, const std::vector<store::RasterBand>& bands) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto colon = item.find(':');
    if (colon == std::string::npos) {
      for (int b : coverages::band_numbers(item, bands, "properties")) out.push_back(b);
    } else {
      const int from = coverages::band_numbers(item.substr(0, colon), bands, "properties").front();
      const int to = coverages::band_numbers(item.substr(colon + 1), bands, "properties").front();
      if (from > to) throw WcsError(400, "IllegalFieldSequence", "the interval " + item + " is inverted", "rangesubset");
      for (int b = from; b <= to; ++b) out.push_back(b);
    }
    if (out.size() > 1024) throw WcsError(400, "InvalidParameterValue", "too many bands", "rangesubset");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

void WcsService::register_routes(http::Router& router) {
  router.add("GET", "/wcs", [this](http::Request& q, http::Response& s) { kvp(q, s); });
  router.add("POST", "/wcs", [this](http::Request& q, http::Response& s) { kvp(q, s); });
}

DescribedCoverage WcsService::described(const std::string& id) {
  auto layer = store_.raster(id);
  if (!layer) throw WcsError(404, "NoSuchCoverage", "no coverage '" + id.substr(0, 64) + "'", "coverageid");
  auto info = open_grids_.lease(layer->path).info();
  auto bands = coverages::served_bands(*layer, info);
  return {std::move(*layer), std::move(info), std::move(bands)};
}

std::vector<DescribedCoverage> WcsService::all_described() {
  std::vector<DescribedCoverage> all;
  for (auto& layer : store_.rasters()) {
    try {
      auto info = open_grids_.lease(layer.path).info();
      auto bands = coverages::served_bands(layer, info);
      all.push_back({std::move(layer), std::move(info), std::move(bands)});
    } catch (const core::OgcError& e) {  // an unreadable file hides its coverage, not the service
      spdlog::warn("wcs: coverage {} left out: {}", layer.id, e.what());
    }
  }
  return all;
}

void WcsService::kvp(http::Request& request, http::Response& response) {
  if (!is_xml_post(request)) {
    http::Request fields;  // the query and, for a form POST, its fields: where VERSION is
    fields.query = request.query;
    if (request.method == "POST")
      if (auto form = http::parse_query(request.body)) fields.query.insert(fields.query.end(), form->begin(), form->end());
    if (asks_for_wcs10(fields)) return kvp10(request, response);
  }
  answer(request, response, [&] {
    const auto wanted = read_ows_request(request, [](const std::string& body) { return parse_wcs_xml(body); },
                                         [](const http::Request& r) { return parse_wcs_kvp(r); });
    const std::string url = http::base_url(request, info_.base_url) + "/wcs";
    switch (wanted.operation) {
      case WcsOperation::GetCapabilities:
        return response.send(200, kXml, capabilities_document(url, info_, all_described()), http::cache_headers(request));
      case WcsOperation::DescribeCoverage: {
        std::vector<DescribedCoverage> list;
        for (const auto& id : wanted.coverage_ids) list.push_back(described(id));
        return response.send(200, kXml, coverage_descriptions(list), http::cache_headers(request));
      }
      case WcsOperation::GetCoverage:
        return get_coverage(wanted.get_coverage, request, response);
    }
  });
}

void WcsService::get_coverage(const GetCoverageRequest& wanted, const http::Request& request,
                              http::Response& response) {
  const auto c = described(wanted.coverage_id);
  coverage::CoverageRequest plan_request;
  if (wanted.format == "image/tiff" || wanted.format == "image/geotiff" ||
      wanted.format == "image/tiff; application=geotiff" || wanted.format == "image/tiff;application=geotiff")
    plan_request.encoding = coverage::Encoding::GeoTiff;
  else if (wanted.format == "image/png")
    plan_request.encoding = coverage::Encoding::Png;
  else
    throw WcsError(400, "InvalidParameterValue", "FORMAT is image/tiff or image/png", "format");
  // Subsets: in SUBSETTINGCRS (or a CRS written in the subset), else the coverage's CRS.
  std::string subset_crs_text = wanted.subsetting_crs;
  for (const auto& s : wanted.subsets)
    if (!s.crs.empty()) {
      if (!subset_crs_text.empty() && subset_crs_text != s.crs)
        throw WcsError(400, "InvalidSubsetting", "every subset must be in the same CRS", "subset");
      subset_crs_text = s.crs;
    }
  const auto subset_crs = crs_of(subset_crs_text, c.info, "SubsettingCrs-NotSupported", "subsettingcrs");
  try {
    plan_request.subset = coverage::spatial_subset(c.info, wanted.subsets, subset_crs, "subset");
  } catch (const core::InvalidParameter& e) {
    throw WcsError(404, "InvalidAxisLabel", e.what(), "subset");
  }
  plan_request.output_crs = crs_of(wanted.output_crs, c.info, "OutputCrs-NotSupported", "outputcrs");
  const bool geographic = plan_request.output_crs ? coverage::is_geographic(*plan_request.output_crs, "outputcrs")
                                                  : c.info.geographic;
  auto& scale = plan_request.scale;
  if (wanted.scale_factor) scale.factor_x = scale.factor_y = *wanted.scale_factor;
  for (const auto& a : wanted.scale_axes) {
    const int axis = coverage::spatial_axis(c.info, a.axis, geographic);
    if (axis < 0) throw WcsError(404, "ScaleAxisUndefined", "no axis '" + a.axis + "'", "scaleaxes");
    (axis == 0 ? scale.factor_x : scale.factor_y) = a.value;
  }
  for (const auto& a : wanted.scale_size) {
    const int axis = coverage::spatial_axis(c.info, a.axis, geographic);
    if (axis < 0) throw WcsError(404, "ScaleAxisUndefined", "no axis '" + a.axis + "'", "scalesize");
    (axis == 0 ? scale.width : scale.height) = static_cast<std::int64_t>(a.value);
  }
  if (!wanted.range_subset.empty()) plan_request.bands = range_subset(wanted.range_subset, c.bands);
  plan_request.interpolation = wanted.interpolation;
  const auto plan = coverage::plan_coverage(c.info, plan_request, limits_);
  auto encoded = coverage::encode_coverage(open_grids_, c.layer.path, plan, c.bands);
  http::Headers headers = http::cache_headers(request);
  headers.emplace_back("Content-Disposition", "inline; filename=\"" + c.layer.id +
                                                  (plan.encoding == coverage::Encoding::Png ? ".png\"" : ".tif\""));
  send_coverage(response, encoded, plan.encoding == coverage::Encoding::Png ? "image/png" : "image/tiff", headers);
}

}  // namespace amis::api::wcs
