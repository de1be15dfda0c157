#include "coverage/coverage_plan.hpp"

#include <gdal_alg.h>

#include <cmath>

#include "core/error.hpp"
#include "coverage/coverage_json.hpp"
#include "coverage/gdal_handles.hpp"

namespace amis::coverage {
namespace {

SpatialRef spatial_ref(const CoverageInfo& info, const std::optional<core::Crs>& crs) {
  SpatialRef srs(OSRNewSpatialReference(nullptr));
  auto* h = static_cast<OGRSpatialReferenceH>(srs.get());
  if (crs) {
    if (OSRSetFromUserInput(h, crs->proj_name().c_str()) != OGRERR_NONE)
      throw core::InvalidParameter("crs", "PROJ does not know " + crs->uri());
  } else if (OSRSetFromUserInput(h, info.crs_wkt.c_str()) != OGRERR_NONE) {
    throw core::ServerError("the coverage's CRS cannot be read");
  }
  OSRSetAxisMappingStrategy(h, OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

// The native CRS when `crs` is nullopt or names it (EPSG:4326 names a CRS84 grid:
// only the axis order differs, and requests name their axes).
bool is_native(const CoverageInfo& info, const std::optional<core::Crs>& crs) {
  return !crs || (info.crs && (*info.crs == *crs || (info.crs->is_crs84() && crs->epsg == 4326)));
}

core::Envelope transform_box(const core::Envelope& box, const SpatialRef& from, const SpatialRef& to) {
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(static_cast<OGRSpatialReferenceH>(from.get()),
                                                                    static_cast<OGRSpatialReferenceH>(to.get()));
  if (!ct) throw core::InvalidParameter("crs", "no transformation between these CRSs");
  core::Envelope out;
  const bool ok = OCTTransformBounds(ct, box.min_x, box.min_y, box.max_x, box.max_y, &out.min_x, &out.min_y,
                                     &out.max_x, &out.max_y, 21) != 0;
  OCTDestroyCoordinateTransformation(ct);
  if (!ok || !std::isfinite(out.min_x) || !std::isfinite(out.max_y) || out.empty())
    throw core::InvalidParameter("subset", "the box cannot be expressed in the coverage's CRS");
  return out;
}

// The subset as a box in the coverage's CRS, open ends filled with the coverage's.
core::Envelope native_box(const CoverageInfo& info, const SpatialSubset& subset) {
  const core::Envelope whole = info.envelope();
  if (is_native(info, subset.crs))
    return {subset.min_x.value_or(whole.min_x), subset.min_y.value_or(whole.min_y),
            subset.max_x.value_or(whole.max_x), subset.max_y.value_or(whole.max_y)};
  const auto native = spatial_ref(info, std::nullopt);
  const auto other = spatial_ref(info, subset.crs);
  const core::Envelope whole_there = transform_box(whole, native, other);
  const core::Envelope there{subset.min_x.value_or(whole_there.min_x), subset.min_y.value_or(whole_there.min_y),
                             subset.max_x.value_or(whole_there.max_x), subset.max_y.value_or(whole_there.max_y)};
  if (there.empty()) throw core::InvalidParameter("subset", "the interval is inverted (low > high)");
  return transform_box(there, other, native);
}

int bytes_per_value(const std::string& data_type) {
  const int bits = GDALGetDataTypeSizeBits(GDALGetDataTypeByName(data_type.c_str()));
  return bits > 0 ? (bits + 7) / 8 : 8;
}

// A cell count from an extent and a scale on one axis; `cells` is the count at
// the plan's base resolution.
std::int64_t scaled(double cells, const std::optional<std::int64_t>& size, const std::optional<double>& factor,
                    const std::optional<double>& resolution, double extent, const char* axis) {
  if (size) {
    if (*size < 1) throw core::InvalidParameter("scale-size", std::string("the size of ") + axis + " must be >= 1");
    return *size;
  }
  if (factor) {
    if (!(*factor > 0)) throw core::InvalidParameter("scale-factor", "a scale factor must be > 0");
    return std::max<std::int64_t>(1, std::llround(std::min(cells / *factor, 1e12)));
  }
  if (resolution) {
    if (!(*resolution > 0)) throw core::InvalidParameter("resolution", "a resolution must be > 0");
    return std::max<std::int64_t>(1, std::llround(std::min(extent / *resolution, 1e12)));
  }
  return std::max<std::int64_t>(1, std::llround(cells));
}

void check_limits(const CoverageInfo& info, const CoveragePlan& plan, const CoverageLimits& limits) {
  if (plan.width > limits.max_cells_per_axis || plan.height > limits.max_cells_per_axis)
    throw ResponseTooLarge("the response would be " + std::to_string(plan.width) + " x " +
                           std::to_string(plan.height) + " cells; at most " +
                           std::to_string(limits.max_cells_per_axis) + " along each axis");
  const long double bytes = static_cast<long double>(plan.width) * plan.height *
                            static_cast<long double>(plan.bands.size()) *
                            (plan.encoding == Encoding::Png            ? 1
                             : plan.encoding == Encoding::CoverageJson ? kCoverageJsonBytesPerValue
                                                                       : bytes_per_value(info.data_type));
  if (bytes > static_cast<long double>(limits.max_bytes))
    throw ResponseTooLarge("the response would hold " + std::to_string(static_cast<long long>(bytes / (1 << 20))) +
                           " MiB of values; at most " + std::to_string(limits.max_bytes >> 20) +
                           " MiB: ask for a smaller subset or scale it down");
}

// The cells of the file a box in its CRS touches (their interiors intersect the
// box), clipped to the file; unclipped when `whole_box` (a size was asked for the
// box: the cells outside the coverage are then nodata, as tiling clients expect).
// A zero-width trim (low == high, as GDAL's WCS driver sends to probe a coverage)
// holds the one cell whose [low, high) interval holds the point, the last cell at
// the coverage's far edge.
void window(const CoverageInfo& info, const core::Envelope& box, bool whole_box, CoveragePlan& plan) {
  const auto& t = info.transform;
  const core::Envelope all = info.envelope();
  const bool point_x = box.min_x == box.max_x, point_y = box.min_y == box.max_y;
  // A box that only touches the coverage's edge holds none of its cells; a point on it, one.
  auto misses = [](bool point, double lo, double hi, double all_lo, double all_hi) {
    return point ? (lo < all_lo || lo > all_hi) : (hi <= all_lo || lo >= all_hi);
  };
  if (misses(point_x, box.min_x, box.max_x, all.min_x, all.max_x) ||
      misses(point_y, box.min_y, box.max_y, all.min_y, all.max_y))
    throw core::NotFound("the subset lies outside the coverage");
  auto snap = [](double v) {
    const double r = std::round(v);
    return std::abs(v - r) < 1e-6 ? r : v;
  };
  const double limit = 5e8;  // cells, within int; the size check refuses far less
  auto cell = [&](double v) { return std::clamp(v, -limit, limit); };
  double x0 = cell(std::floor(snap((box.min_x - t[0]) / t[1])));
  double x1 = cell(std::ceil(snap((box.max_x - t[0]) / t[1])));
  double y0 = cell(std::floor(snap((box.max_y - t[3]) / t[5])));
  double y1 = cell(std::ceil(snap((box.min_y - t[3]) / t[5])));
  if (point_x) {
    x0 = std::min(x0, double(info.width - 1));
    x1 = x0 + 1;
  }
  if (point_y) {  // rows count down from the top: the cell below a row edge is the one whose interval holds it
    y1 = std::min(std::max(y1, 1.0), double(info.height));
    y0 = y1 - 1;
  }
  if (!whole_box) {
    x0 = std::max(x0, 0.0);
    y0 = std::max(y0, 0.0);
    x1 = std::min(x1, double(info.width));
    y1 = std::min(y1, double(info.height));
  }
  if (!(x1 > x0) || !(y1 > y0)) throw core::NotFound("the subset lies outside the coverage");
  plan.src_x = static_cast<int>(x0);
  plan.src_y = static_cast<int>(y0);
  plan.src_width = static_cast<int>(x1 - x0);
  plan.src_height = static_cast<int>(y1 - y0);
  plan.box = {t[0] + x0 * t[1], t[3] + y1 * t[5], t[0] + x1 * t[1], t[3] + y0 * t[5]};
}

// The resolution gdalwarp would choose for the whole coverage in the output CRS.
double suggested_resolution(const CoverageInfo& info, const SpatialRef& target) {
  char* wkt = nullptr;
  OSRExportToWkt(static_cast<OGRSpatialReferenceH>(target.get()), &wkt);
  const std::string target_wkt = wkt ? wkt : "";
  CPLFree(wkt);
  // A dataset of the coverage's grid without pixels: what GDAL's warp planning reads.
  GDALDriverH mem = GDALGetDriverByName("MEM");
  Dataset grid(GDALCreate(mem, "", info.width, info.height, 0, GDT_Byte, nullptr));
  if (!grid) throw core::ServerError("cannot plan the warp");
  auto transform = info.transform;
  GDALSetGeoTransform(grid.get(), transform.data());
  GDALSetProjection(grid.get(), info.crs_wkt.c_str());
  const std::string dst = "DST_SRS=" + target_wkt;
  const char* options[] = {dst.c_str(), nullptr};
  void* transformer = GDALCreateGenImgProjTransformer2(grid.get(), nullptr, const_cast<char**>(options));
  if (!transformer) throw core::InvalidParameter("crs", "no transformation from the coverage's CRS to this one");
  double out_transform[6];
  int pixels = 0, lines = 0;
  const CPLErr err = GDALSuggestedWarpOutput(grid.get(), GDALGenImgProjTransform, transformer, out_transform, &pixels,
                                             &lines);
  GDALDestroyGenImgProjTransformer(transformer);
  if (err != CE_None || !(out_transform[1] > 0))
    throw core::InvalidParameter("crs", "the coverage cannot be expressed in this CRS");
  return out_transform[1];
}

// A subset box exactly, at a size (exact_box): the box in the output CRS, then a
// window when it falls on the file's cell edges in its own CRS, else a warp.
CoveragePlan plan_exact_box(const CoverageInfo& info, const CoverageRequest& request, const CoverageLimits& limits,
                            CoveragePlan plan) {
  const auto& s = request.subset;
  if (!s.min_x || !s.max_x || !s.min_y || !s.max_y) throw core::InvalidParameter("subset", "the box needs four bounds");
  core::Envelope box{*s.min_x, *s.min_y, *s.max_x, *s.max_y};
  if (!(box.min_x < box.max_x) || !(box.min_y < box.max_y))
    throw core::InvalidParameter("subset", "the box is empty or inverted");
  const bool native_out = is_native(info, request.output_crs);
  const auto out_srs = spatial_ref(info, native_out ? std::nullopt : request.output_crs);
  const bool same_crs = is_native(info, s.crs) ? native_out : (request.output_crs && *s.crs == *request.output_crs);
  if (!same_crs) box = transform_box(box, spatial_ref(info, is_native(info, s.crs) ? std::nullopt : s.crs), out_srs);
  const core::Envelope coverage_there =
      native_out ? info.envelope() : transform_box(info.envelope(), spatial_ref(info, std::nullopt), out_srs);
  if (box.max_x <= coverage_there.min_x || box.min_x >= coverage_there.max_x || box.max_y <= coverage_there.min_y ||
      box.min_y >= coverage_there.max_y)
    throw core::NotFound("the box lies outside the coverage");
  const auto& scale = request.scale;
  const double w = box.max_x - box.min_x, h = box.max_y - box.min_y;
  if (!scale.width && !scale.resolution_x) throw core::InvalidParameter("scale-size", "the box needs a size");
  plan.width = scaled(0, scale.width, std::nullopt, scale.resolution_x, w, "x");
  plan.height = scaled(0, scale.height, std::nullopt, scale.resolution_y, h, "y");
  plan.crs = native_out ? info.crs : request.output_crs;
  check_limits(info, plan, limits);
  if (native_out) {
    CoveragePlan cut = plan;
    window(info, box, true, cut);
    const double tolerance = 1e-6 * std::min(info.resolution_x(), info.resolution_y());
    if (std::abs(cut.box.min_x - box.min_x) < tolerance && std::abs(cut.box.max_x - box.max_x) < tolerance &&
        std::abs(cut.box.min_y - box.min_y) < tolerance && std::abs(cut.box.max_y - box.max_y) < tolerance)
      return cut;
  }
  plan.warp = true;
  plan.box = box;
  plan.target_srs = native_out ? (info.crs ? info.crs->proj_name() : info.crs_wkt) : request.output_crs->proj_name();
  return plan;
}

}  // namespace

CoveragePlan plan_coverage(const CoverageInfo& info, const CoverageRequest& request, const CoverageLimits& limits) {
  CoveragePlan plan;
  plan.interpolation = request.interpolation;
  plan.encoding = request.encoding;
  for (int b : request.bands)
    if (b < 1 || b > info.band_count) throw core::InvalidParameter("properties", "no such band");
  plan.bands = request.bands;
  if (plan.bands.empty())
    for (int b = 1; b <= info.band_count; ++b) plan.bands.push_back(b);
  if (request.exact_box) return plan_exact_box(info, request, limits, plan);
  const auto& s = request.subset;
  if (s.min_x && s.max_x && *s.min_x > *s.max_x) throw core::InvalidParameter("subset", "the x interval is inverted");
  if (s.min_y && s.max_y && *s.min_y > *s.max_y) throw core::InvalidParameter("subset", "the y interval is inverted");
  const core::Envelope box = native_box(info, s);
  const auto& scale = request.scale;
  if (is_native(info, request.output_crs)) {
    window(info, box, scale.width && scale.height, plan);
    plan.crs = info.crs;
    plan.width = scaled(plan.src_width, scale.width, scale.factor_x, scale.resolution_x, plan.box.max_x - plan.box.min_x, "x");
    plan.height =
        scaled(plan.src_height, scale.height, scale.factor_y, scale.resolution_y, plan.box.max_y - plan.box.min_y, "y");
    check_limits(info, plan, limits);
    return plan;
  }
  // Another CRS: the part of the coverage the subset keeps, warped.
  const core::Envelope whole = info.envelope();
  const core::Envelope kept{std::max(box.min_x, whole.min_x), std::max(box.min_y, whole.min_y),
                            std::min(box.max_x, whole.max_x), std::min(box.max_y, whole.max_y)};
  if (kept.empty() || kept.min_x == kept.max_x || kept.min_y == kept.max_y)
    throw core::NotFound("the subset lies outside the coverage");
  plan.warp = true;
  plan.crs = request.output_crs;
  plan.target_srs = request.output_crs->proj_name();
  const auto native = spatial_ref(info, std::nullopt);
  const auto target = spatial_ref(info, request.output_crs);
  plan.box = transform_box(kept, native, target);
  const double resolution = suggested_resolution(info, target);
  const double w = plan.box.max_x - plan.box.min_x, h = plan.box.max_y - plan.box.min_y;
  plan.width = scaled(std::ceil(w / resolution - 1e-6), scale.width, scale.factor_x, scale.resolution_x, w, "x");
  plan.height = scaled(std::ceil(h / resolution - 1e-6), scale.height, scale.factor_y, scale.resolution_y, h, "y");
  check_limits(info, plan, limits);
  return plan;
}

}  // namespace amis::coverage
