#include "api/coverages/coverage_query.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/error.hpp"

namespace amis::api::coverages {
namespace {

using coverage::AxisSubset;
using coverage::AxisValue;

constexpr const char* kKnown[] = {"subset",     "subset-crs", "bbox",       "bbox-crs",           "crs",
                                  "resolution", "width",      "height",     "properties",         "exclude-properties",
                                  "f",          "scale-size", "scale-factor", "scale-axes",       "scaleSize",
                                  "scaleFactor", "scaleAxes"};

std::optional<std::string_view> one(const http::Request& request, std::string_view name) {
  std::optional<std::string_view> found;
  for (const auto& [k, v] : request.query)
    if (k == name) {
      if (found) throw core::InvalidParameter(std::string(name), "given more than once");
      found = v;
    }
  return found;
}

// The first of several spellings of one parameter (scale-size or scaleSize).
std::optional<std::pair<std::string, std::string_view>> either(const http::Request& request, const char* a,
                                                               const char* b) {
  auto first = one(request, a);
  auto second = one(request, b);
  if (first && second) throw core::InvalidParameter(a, std::string("give ") + a + " or " + b + ", not both");
  if (first) return std::make_pair(std::string(a), *first);
  if (second) return std::make_pair(std::string(b), *second);
  return std::nullopt;
}

core::Crs crs_parameter(std::string_view text, const char* name) {
  auto crs = core::parse_crs(text);
  if (!crs) throw core::InvalidParameter(name, "not a CRS URI or [EPSG:n] CURIE");
  coverage::is_geographic(*crs, name);  // PROJ knows it
  return *crs;
}

bool geographic_names(const std::vector<AxisSubset>& axes) {
  for (const auto& a : axes) {
    std::string n = a.axis;
    for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (n != "lon" && n != "long" && n != "longitude" && n != "lat" && n != "latitude") return false;
  }
  return !axes.empty();
}

coverage::SpatialSubset bbox_subset(std::string_view text, std::optional<std::string_view> crs_text) {
  std::vector<double> v;
  std::size_t start = 0;
  while (v.size() <= 6) {
    const auto comma = text.find(',', start);
    auto n = coverage::parse_number(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (!n) throw core::InvalidParameter("bbox", "four numbers: min x, min y, max x, max y");
    v.push_back(*n);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (v.size() != 4) throw core::InvalidParameter("bbox", "four numbers: min x, min y, max x, max y");
  const core::Crs crs = crs_text ? crs_parameter(*crs_text, "bbox-crs") : core::Crs{};
  if (coverage::north_first(crs)) {
    std::swap(v[0], v[1]);
    std::swap(v[2], v[3]);
  }
  if (v[0] > v[2]) throw core::InvalidParameter("bbox", "boxes across the antimeridian are not offered");
  if (v[1] > v[3]) throw core::InvalidParameter("bbox", "min y is greater than max y");
  return {v[0], v[2], v[1], v[3], crs};
}

// Puts per-axis values onto x and y; an axis given twice is refused.
void per_axis(const coverage::CoverageInfo& info, const std::vector<AxisValue>& values, bool geographic,
              const std::string& parameter, const std::function<void(int, double)>& set) {
  bool seen[2] = {false, false};
  for (const auto& v : values) {
    const int axis = coverage::spatial_axis(info, v.axis, geographic);
    if (axis < 0)
      throw core::InvalidParameter(parameter, "the coverage has no axis '" + v.axis + "' (its axes are " +
                                                  info.x_label + " and " + info.y_label + ")");
    if (seen[axis]) throw core::InvalidParameter(parameter, "the axis " + v.axis + " is given twice");
    seen[axis] = true;
    set(axis, v.value);
  }
}

std::int64_t cells(double v, const std::string& parameter) {
  if (v != std::floor(v) || v < 1 || v > 1e9) throw core::InvalidParameter(parameter, "a size is a whole number >= 1");
  return static_cast<std::int64_t>(v);
}

void read_scale(const http::Request& request, const coverage::CoverageInfo& info, bool geographic,
                coverage::OutputScale& scale) {
  int ways = 0;
  if (auto size = either(request, "scale-size", "scaleSize")) {
    ++ways;
    per_axis(info, coverage::parse_axis_values(size->second, size->first), geographic, size->first,
             [&](int axis, double v) { (axis == 0 ? scale.width : scale.height) = cells(v, size->first); });
  }
  if (auto factor = either(request, "scale-factor", "scaleFactor")) {
    ++ways;
    auto f = coverage::parse_number(factor->second);
    if (!f || !(*f > 0) || *f > 1e6) throw core::InvalidParameter(factor->first, "a number > 0");
    scale.factor_x = scale.factor_y = *f;
  }
  if (auto axes = either(request, "scale-axes", "scaleAxes")) {
    ++ways;
    per_axis(info, coverage::parse_axis_values(axes->second, axes->first), geographic, axes->first,
             [&](int axis, double v) {
               if (!(v > 0) || v > 1e6) throw core::InvalidParameter(axes->first, "a scale factor is a number > 0");
               (axis == 0 ? scale.factor_x : scale.factor_y) = v;
             });
  }
  if (auto resolution = one(request, "resolution"); resolution && !resolution->empty()) {
    ++ways;
    per_axis(info, coverage::parse_axis_values(*resolution, "resolution"), geographic, "resolution",
             [&](int axis, double v) {
               if (!(v > 0)) throw core::InvalidParameter("resolution", "a resolution is a number > 0");
               (axis == 0 ? scale.resolution_x : scale.resolution_y) = v;
             });
  }
  auto dimension = [&](const char* name, std::optional<std::int64_t>& into) {
    if (auto text = one(request, name)) {
      auto v = coverage::parse_number(*text);
      if (!v) throw core::InvalidParameter(name, "a whole number >= 1");
      into = cells(*v, name);
      return 1;
    }
    return 0;
  };
  const int sized = dimension("width", scale.width) + dimension("height", scale.height);
  if (sized) ++ways;
  if (ways > 1)
    throw core::InvalidParameter("scale-size",
                                 "give one of scale-size, scale-factor, scale-axes, resolution or width/height");
}

}  // namespace

std::vector<int> band_numbers(std::string_view list, const std::vector<store::RasterBand>& bands,
                              const std::string& parameter) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const auto name = list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    int found = 0;
    for (std::size_t i = 0; i < bands.size() && !found; ++i)
      if (bands[i].name == name) found = static_cast<int>(i + 1);
    if (!found)
      throw core::InvalidParameter(parameter, "the coverage has no band '" + std::string(name.substr(0, 64)) + "'");
    out.push_back(found);
    if (out.size() > 1024) throw core::InvalidParameter(parameter, "too many bands");
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

bool wants_html(const http::Request& request) {
  if (auto f = request.param("f")) return *f == "html";
  const auto accept = request.header("accept");
  for (const char* format : {"image/tiff", "image/png", "application/prs.coverage+json"})
    if (accept.find(format) != std::string_view::npos) return false;
  return accept.find("text/html") != std::string_view::npos;
}

coverage::CoverageRequest parse_coverage_query(const http::Request& request, const coverage::CoverageInfo& info,
                                               const std::vector<store::RasterBand>& bands) {
  for (const auto& [name, value] : request.query)
    if (std::find(std::begin(kKnown), std::end(kKnown), name) == std::end(kKnown))
      throw core::UnknownParameter(name.substr(0, 64));
  coverage::CoverageRequest out;
  std::vector<AxisSubset> axes;
  for (const auto& [name, value] : request.query)
    if (name == "subset")
      for (auto& a : coverage::parse_ogcapi_subset(value, "subset")) axes.push_back(std::move(a));
  const auto bbox = one(request, "bbox");
  if (bbox && !axes.empty()) throw core::InvalidParameter("bbox", "give subset or bbox, not both");
  if (!axes.empty()) {
    std::optional<core::Crs> crs;
    if (auto text = one(request, "subset-crs")) crs = crs_parameter(*text, "subset-crs");
    else if (!info.geographic && geographic_names(axes)) crs = core::Crs{};
    out.subset = coverage::spatial_subset(info, axes, crs, "subset");
  } else if (bbox) {
    out.subset = bbox_subset(*bbox, one(request, "bbox-crs"));
  }
  if (auto text = one(request, "crs")) out.output_crs = crs_parameter(*text, "crs");
  const bool geographic = out.output_crs ? coverage::is_geographic(*out.output_crs, "crs") : info.geographic;
  read_scale(request, info, geographic, out.scale);
  const auto properties = one(request, "properties");
  const auto excluded = one(request, "exclude-properties");
  if (properties && excluded) throw core::InvalidParameter("properties", "give properties or exclude-properties, not both");
  if (properties) out.bands = band_numbers(*properties, bands, "properties");
  if (excluded && !excluded->empty()) {
    const auto dropped = band_numbers(*excluded, bands, "exclude-properties");
    for (int b = 1; b <= static_cast<int>(bands.size()); ++b)
      if (std::find(dropped.begin(), dropped.end(), b) == dropped.end()) out.bands.push_back(b);
    if (out.bands.empty()) throw core::InvalidParameter("exclude-properties", "every band would be left out");
  }
  // The encoding: f= first, then Accept; GeoTIFF by default (GDAL asks for it by Accept).
  if (auto f = one(request, "f")) {
    if (*f == "png") out.encoding = coverage::Encoding::Png;
    else if (*f == "tif" || *f == "tiff" || *f == "geotiff") out.encoding = coverage::Encoding::GeoTiff;
    else if (*f == "covjson" || *f == "coveragejson") out.encoding = coverage::Encoding::CoverageJson;
    else
      throw core::NotAcceptable(
          "the coverage is offered as GeoTIFF (f=tif), PNG (f=png), CoverageJSON (f=covjson) and HTML (f=html)");
  } else {
    const auto accept = request.header("accept");
    const bool tiff = accept.find("image/tiff") != std::string_view::npos;
    if (accept.find("image/png") != std::string_view::npos && !tiff) out.encoding = coverage::Encoding::Png;
    else if (accept.find("application/prs.coverage+json") != std::string_view::npos && !tiff)
      out.encoding = coverage::Encoding::CoverageJson;
  }
  return out;
}

}  // namespace amis::api::coverages
