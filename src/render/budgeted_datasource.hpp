#pragma once
// A Mapnik memory datasource whose features are handed to the renderer with a look
// at the request's budget (core::RequestBudget) before each. Only for
// mapnik_renderer.cpp: it needs Mapnik's headers.
#include <mapnik/datasource.hpp>
#include <mapnik/featureset.hpp>
#include <mapnik/memory_datasource.hpp>
#include <mapnik/params.hpp>
#include <memory>

#include "core/request_budget.hpp"

namespace amis::render {

// The features Mapnik draws of a layer, handed out one at a time with a look at
// the request's budget before each (drawing one polygon on a large map can take
// longer than reading thousands): a map whose client has left or whose
// deadline passed stops in the middle of Mapnik's drawing (the exception passes
// through agg_renderer::apply to render_map's caller).
class BudgetedFeatureset final : public mapnik::Featureset {
 public:
  explicit BudgetedFeatureset(mapnik::featureset_ptr inner) : inner_(std::move(inner)) {}
  mapnik::feature_ptr next() override {
    core::RequestBudget::check();
    return inner_ ? inner_->next() : mapnik::feature_ptr();
  }

 private:
  mapnik::featureset_ptr inner_;
};

class BudgetedDatasource final : public mapnik::memory_datasource {
 public:
  BudgetedDatasource() : mapnik::memory_datasource(memory_parameters()) {}
  mapnik::featureset_ptr features(mapnik::query const& q) const override {
    return std::make_shared<BudgetedFeatureset>(mapnik::memory_datasource::features(q));
  }

 private:
  static mapnik::parameters memory_parameters() {
    mapnik::parameters parameters;
    parameters["type"] = "memory";
    return parameters;
  }
};

}  // namespace amis::render
