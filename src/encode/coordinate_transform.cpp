#include "encode/coordinate_transform.hpp"

#include <proj.h>

#include "core/error.hpp"

namespace amis::encode {

struct CoordinateTransform::State {
  PJ_CONTEXT* context = nullptr;
  PJ* transform = nullptr;
};

CoordinateTransform::CoordinateTransform(const core::Crs& crs, const char* parameter, bool inverse)
    : state_(std::make_unique<State>()) {
  state_->context = proj_context_create();
  proj_log_level(state_->context, PJ_LOG_NONE);
  const std::string target = crs.proj_name();
  state_->transform = inverse
      ? proj_create_crs_to_crs(state_->context, target.c_str(), "OGC:CRS84", nullptr)
      : proj_create_crs_to_crs(state_->context, "OGC:CRS84", target.c_str(), nullptr);
  if (!state_->transform) {
    proj_context_destroy(state_->context);
    state_->context = nullptr;
    throw core::InvalidParameter(parameter, "the CRS " + crs.uri() + " is not supported");
  }
}

CoordinateTransform::~CoordinateTransform() {
  if (state_->transform) proj_destroy(state_->transform);
  if (state_->context) proj_context_destroy(state_->context);
}

void CoordinateTransform::transform(double* x, double* y, std::size_t n, std::size_t stride) const {
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

}  // namespace amis::encode
