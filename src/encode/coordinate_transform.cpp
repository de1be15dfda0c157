#include "encode/coordinate_transform.hpp"

#include <mutex>
#include <unordered_map>

#include <ogr_srs_api.h>
#include <proj.h>

#include <cmath>
#include <map>
#include <tuple>
#include <utility>

#include "core/error.hpp"

namespace amis::encode {
namespace {

// Creating a PROJ transformation reads PROJ's database (about a millisecond);
// each thread keeps the ones it made. PROJ objects must not cross threads, and
// a connection stays on one thread, so a thread-local cache is both safe and hot.
class ThreadTransforms {
 public:
  ~ThreadTransforms() {
    for (auto& [key, pj] : cache_) proj_destroy(pj);
    proj_context_destroy(context_);
  }
  PJ_CONTEXT* context() { return context_; }
  // Null when PROJ cannot make the transformation.
  PJ* get(int epsg, bool inverse, bool east_north) {
    const auto key = std::make_tuple(epsg, inverse, east_north);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxEntries) clear();
    const std::string other = core::Crs{epsg}.proj_name();
    PJ* pj = inverse ? proj_create_crs_to_crs(context_, other.c_str(), "OGC:CRS84", nullptr)
                     : proj_create_crs_to_crs(context_, "OGC:CRS84", other.c_str(), nullptr);
    if (pj && east_north) {
      PJ* normalized = proj_normalize_for_visualization(context_, pj);
      proj_destroy(pj);
      pj = normalized;
    }
    if (pj) cache_.emplace(key, pj);
    return pj;
  }

 private:
  static constexpr size_t kMaxEntries = 64;
  void clear() {
    for (auto& [key, pj] : cache_) proj_destroy(pj);
    cache_.clear();
  }
  PJ_CONTEXT* context_ = [] {
    PJ_CONTEXT* c = proj_context_create();
    proj_log_level(c, PJ_LOG_NONE);
    return c;
  }();
  std::map<std::tuple<int, bool, bool>, PJ*> cache_;
};

ThreadTransforms& thread_transforms() {
  thread_local ThreadTransforms transforms;
  return transforms;
}

}  // namespace

struct CoordinateTransform::State {
  PJ_CONTEXT* context = nullptr;
  PJ* transform = nullptr;  // owned by the thread's cache
  bool web_mercator = false;  // CRS84 → EPSG:3857: the closed formula, no PROJ call
};

CoordinateTransform::CoordinateTransform(const core::Crs& crs, const char* parameter, bool inverse,
                                         bool east_north)
    : state_(std::make_unique<State>()) {
  auto& transforms = thread_transforms();
  state_->context = transforms.context();
  state_->transform = transforms.get(crs.epsg, inverse, east_north);
  state_->web_mercator = crs.epsg == 3857 && !inverse;
  if (!state_->transform)
    throw core::InvalidParameter(parameter, "the CRS " + crs.uri() + " is not supported");
}

CoordinateTransform::~CoordinateTransform() = default;

void CoordinateTransform::transform(double* x, double* y, std::size_t n, std::size_t stride) const {
  if (state_->web_mercator) {
    // EPSG:3857 (PROJ's webmerc): x = a·λ, y = a·ln(tan(π/4 + φ/2)) on the WGS 84
    // semi-major axis; the poles are out of its domain, as with PROJ.
    constexpr double a = 6378137.0;
    constexpr double radians = 3.14159265358979323846 / 180.0;
    for (std::size_t i = 0; i < n; ++i) {
      double& px = x[i * stride];
      double& py = y[i * stride];
      if (!(py > -90.0 && py < 90.0) || !(px >= -180.0 - 1e-9 && px <= 180.0 + 1e-9)) {
        px = py = HUGE_VAL;
        continue;
      }
      px = a * px * radians;
      py = a * std::log(std::tan(3.14159265358979323846 / 4.0 + py * radians / 2.0));
    }
    return;
  }
  const std::size_t bytes = stride * sizeof(double);
  proj_trans_generic(state_->transform, PJ_FWD, x, bytes, n, y, bytes, n, nullptr, 0, 0, nullptr, 0, 0);
}

core::Envelope CoordinateTransform::to_crs84_bounds(double a_min, double b_min, double a_max,
                                                    double b_max) const {
  core::Envelope e;
  if (!proj_trans_bounds(state_->context, state_->transform, PJ_FWD, a_min, b_min, a_max, b_max,
                         &e.min_x, &e.min_y, &e.max_x, &e.max_y, 21))
    throw core::InvalidParameter("bbox", "the box cannot be transformed to longitude/latitude");
  return e;
}

bool north_first(const core::Crs& crs) {
  if (crs.is_crs84()) return false;
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  bool result = false;
  if (OSRImportFromEPSG(srs, crs.epsg) == OGRERR_NONE)
    result = OSREPSGTreatsAsLatLong(srs) || OSREPSGTreatsAsNorthingEasting(srs);
  OSRDestroySpatialReference(srs);
  return result;
}

bool geographic(const core::Crs& crs) {
  if (crs.is_crs84() || crs.epsg == 4326) return true;
  if (crs.epsg == 3857) return false;
  // Asked of every map: the answer per EPSG code is kept (codes are few).
  static std::mutex mutex;
  static std::unordered_map<int, bool> known;
  std::lock_guard lock(mutex);
  if (auto it = known.find(crs.epsg); it != known.end()) return it->second;
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  const bool result = OSRImportFromEPSG(srs, crs.epsg) == OGRERR_NONE && OSRIsGeographic(srs);
  OSRDestroySpatialReference(srs);
  known.emplace(crs.epsg, result);
  return result;
}

}  // namespace amis::encode
