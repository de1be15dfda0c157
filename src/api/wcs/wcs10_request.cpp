#include "api/wcs/wcs10_request.hpp"

#include <cmath>

#include "coverage/axis_expressions.hpp"

namespace amis::api::wcs {
namespace {

constexpr std::size_t kMaxListItems = 1024;

std::vector<std::string> comma_list(const std::string& text, const char* locator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (out.size() > kMaxListItems)
      throw WcsError(400, "InvalidParameterValue", std::string("too many values in ") + locator, locator);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

double number(const std::string& text, const char* locator) {
  auto v = coverage::parse_number(text);
  if (!v) throw WcsError(400, "InvalidParameterValue", std::string(locator) + " holds a value that is not a number", locator);
  return *v;
}

// BBOX=minx,miny,maxx,maxy[,minz,maxz]: a box with an extent on both axes.
core::Envelope bbox(const std::string& text) {
  const auto items = comma_list(text, "BBOX");
  if (items.size() != 4 && items.size() != 6)
    throw WcsError(400, "InvalidParameterValue", "BBOX is minx,miny,maxx,maxy", "BBOX");
  const core::Envelope box{number(items[0], "BBOX"), number(items[1], "BBOX"), number(items[2], "BBOX"),
                           number(items[3], "BBOX")};
  if (!(box.min_x < box.max_x) || !(box.min_y < box.max_y))
    throw WcsError(400, "InvalidParameterValue", "BBOX is empty or inverted (min must be below max)", "BBOX");
  return box;
}

std::int64_t cells(const std::string& text, const char* locator) {
  const double v = number(text, locator);
  if (v < 1 || v > 1e9 || v != std::floor(v))
    throw WcsError(400, "InvalidParameterValue", std::string(locator) + " is a whole number of cells >= 1", locator);
  return static_cast<std::int64_t>(v);
}

double resolution(const std::string& text, const char* locator) {
  const double v = number(text, locator);
  if (!(v > 0)) throw WcsError(400, "InvalidParameterValue", std::string(locator) + " is a resolution > 0", locator);
  return v;
}

coverage::Interpolation interpolation(const std::string& text) {
  const std::string m = upper(text);
  if (m == "NEAREST NEIGHBOR" || m == "NEAREST_NEIGHBOR" || m == "NEAREST") return coverage::Interpolation::Nearest;
  if (m == "BILINEAR") return coverage::Interpolation::Linear;
  if (m == "BICUBIC") return coverage::Interpolation::Cubic;
  throw WcsError(400, "InvalidParameterValue", "INTERPOLATION is one of nearest neighbor, bilinear, bicubic",
                 "INTERPOLATION");
}

Wcs10GetCoverage get_coverage(const http::Request& request) {
  Wcs10GetCoverage out;
  out.coverage = required_kvp(request, "COVERAGE");
  out.crs = required_kvp(request, "CRS");
  if (auto crs = single_kvp(request, "RESPONSE_CRS")) out.response_crs = *crs;
  if (single_kvp(request, "TIME"))
    throw WcsError(400, "InvalidParameterValue", "these coverages have no time axis", "TIME");
  out.bbox = bbox(required_kvp(request, "BBOX"));
  const auto width = single_kvp(request, "WIDTH"), height = single_kvp(request, "HEIGHT");
  const auto resx = single_kvp(request, "RESX"), resy = single_kvp(request, "RESY");
  if (width || height) {
    if (!width || !height || resx || resy)
      throw WcsError(400, "InvalidParameterValue", "give WIDTH and HEIGHT, or RESX and RESY", width ? "HEIGHT" : "WIDTH");
    out.width = cells(*width, "WIDTH");
    out.height = cells(*height, "HEIGHT");
  } else if (resx || resy) {
    if (!resx || !resy) throw WcsError(400, "InvalidParameterValue", "give RESX and RESY", resx ? "RESY" : "RESX");
    out.resx = resolution(*resx, "RESX");
    out.resy = resolution(*resy, "RESY");
  } else {
    throw WcsError(400, "MissingParameterValue", "give WIDTH and HEIGHT, or RESX and RESY", "WIDTH");
  }
  out.format = required_kvp(request, "FORMAT");
  if (auto method = single_kvp(request, "INTERPOLATION")) out.interpolation = interpolation(*method);
  if (auto bands = single_kvp(request, "BAND")) {
    out.bands = comma_list(*bands, "BAND");
    for (const auto& b : out.bands)
      if (b.empty()) throw WcsError(400, "InvalidParameterValue", "BAND lists band numbers or names", "BAND");
  }
  return out;
}

}  // namespace

bool asks_for_wcs10(const http::Request& request) {
  for (const auto& [k, v] : request.query) {
    const std::string key = upper(k);
    if (key == "VERSION") return v == "1.0.0";
    if (key == "ACCEPTVERSIONS") return v == "1.0.0" || v.rfind("1.0.0,", 0) == 0;
  }
  return false;
}

Wcs10Request parse_wcs10_kvp(const http::Request& request) {
  const std::string service = required_kvp(request, "SERVICE");
  if (upper(service) != "WCS") throw WcsError(400, "InvalidParameterValue", "SERVICE must be WCS", "SERVICE");
  const std::string operation = required_kvp(request, "REQUEST");
  Wcs10Request out;
  if (upper(operation) == "GETCAPABILITIES") {
    if (auto section = single_kvp(request, "SECTION"); section && *section != "/" && *section != "/WCS_Capabilities")
      throw WcsError(400, "InvalidParameterValue", "SECTION: only the whole document (/) is offered", "SECTION");
    out.operation = WcsOperation::GetCapabilities;
    return out;
  }
  if (upper(operation) == "DESCRIBECOVERAGE") {
    out.operation = WcsOperation::DescribeCoverage;
    if (auto ids = single_kvp(request, "COVERAGE"); ids && !ids->empty()) {
      out.coverages = comma_list(*ids, "COVERAGE");
      if (out.coverages.size() > 100)
        throw WcsError(400, "InvalidParameterValue", "at most 100 coverages at once", "COVERAGE");
    }
    return out;
  }
  if (upper(operation) == "GETCOVERAGE") {
    out.operation = WcsOperation::GetCoverage;
    out.get_coverage = get_coverage(request);
    return out;
  }
  throw WcsError(400, "OperationNotSupported",
                 "this WCS 1.0.0 answers GetCapabilities, DescribeCoverage and GetCoverage, not '" +
                     operation.substr(0, 40) + "'",
                 "REQUEST");
}

}  // namespace amis::api::wcs
