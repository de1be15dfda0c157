#pragma once
// The store as the caller of the current request may see it: collections they
// may not read (auth::ReadAccess) are left out of every list and are not
// found by id. Every service reads through this one decorator, so restricted
// collections are hidden in one place for OGC API, WFS, WMS, tiles and WMTS.
#include <optional>

#include "auth/read_access.hpp"
#include "store/store.hpp"

namespace amis::store {

class VisibleStore final : public Store {
 public:
  VisibleStore(Store& store, const auth::ReadAccess& access) : store_(store), access_(access) {}

  std::vector<core::Collection> collections() override;
  std::optional<core::Collection> collection(std::string_view id) override;
  std::int64_t count(const core::Collection& c, const core::FeatureQuery& q) override {
    const auto joined = with_joins(q);
    return store_.count(c, joined ? *joined : q);
  }
  std::vector<AggregateGroup> aggregate(const core::Collection& c, const core::FeatureQuery& q, const Aggregate& a,
                                        bool& truncated) override {
    const auto joined = with_joins(q);
    return store_.aggregate(c, joined ? *joined : q, a, truncated);
  }
  std::vector<std::string> text_values(const core::Collection& c, const std::string& property,
                                       std::size_t max) override {
    return store_.text_values(c, property, max);
  }
  void create_attribute_index(const core::Collection& c, const std::vector<std::string>& properties) override {
    store_.create_attribute_index(c, properties);
  }
  void create_attribute_indexes(const core::Collection& c,
                                const std::vector<std::vector<std::string>>& indexes) override {
    store_.create_attribute_indexes(c, indexes);
  }
  std::int64_t features(const core::Collection& c, const core::FeatureQuery& q, core::FeatureSink& sink,
                        std::int64_t* matched = nullptr) override {
    const auto joined = with_joins(q);
    return store_.features(c, joined ? *joined : q, sink, matched);
  }
  bool feature(const core::Collection& c, std::int64_t id, core::FeatureSink& sink) override {
    return store_.feature(c, id, sink);
  }
  std::unique_ptr<CollectionWriter> replace_collection(const core::Collection& metadata) override {
    return store_.replace_collection(metadata);
  }
  void remove_collection(std::string_view id) override { store_.remove_collection(id); }
  std::vector<StoredStyle> styles(std::string_view collection) override;
  std::optional<StoredStyle> style(std::string_view collection, std::string_view name) override;
  void put_style(const StoredStyle& style) override { store_.put_style(style); }
  bool remove_style(std::string_view collection, std::string_view name) override {
    return store_.remove_style(collection, name);
  }
  std::vector<RasterLayer> rasters() override;
  std::optional<RasterLayer> raster(std::string_view id) override;
  void put_raster(const RasterLayer& raster) override { store_.put_raster(raster); }
  bool replace_grid(const RasterLayer& raster, std::string_view based_on) override {
    return store_.replace_grid(raster, based_on);
  }

 private:
  bool visible(std::string_view id) const { return access_.may_read(auth::RequestPrincipal::current(), id); }
  // The query with the collections its spatial joins name that the caller may
  // read (core/spatial_join.hpp): a join naming any other finds it unknown.
  // nullopt when the query is fine as it is (no joins, none handed in).
  std::optional<core::FeatureQuery> with_joins(const core::FeatureQuery& query);

  Store& store_;
  const auth::ReadAccess& access_;
};

}  // namespace amis::store
