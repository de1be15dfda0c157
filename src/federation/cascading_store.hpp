#pragma once
// The store as the services see it once national collections are cascaded: the
// collections of the store, and the cascaded ones (Cascade), whose features are
// read from their node. A cascaded collection's id cannot also be the store's
// (publishing refuses it), its styles are the store's (kept by collection id),
// and nothing writes into it (the node keeps it).
#include "federation/cascade.hpp"
#include "store/store.hpp"

namespace amis::federation {

class CascadingStore final : public store::Store {
 public:
  CascadingStore(store::Store& store, Cascade& cascade) : store_(store), cascade_(cascade) {}

  std::vector<core::Collection> collections() override;
  std::optional<core::Collection> collection(std::string_view id) override;
  std::vector<std::string> text_values(const core::Collection& c, const std::string& property,
                                       std::size_t max) override;
  void create_attribute_index(const core::Collection& c, const std::vector<std::string>& properties) override;
  std::int64_t count(const core::Collection& c, const core::FeatureQuery& q) override;
  std::vector<store::AggregateGroup> aggregate(const core::Collection& c, const core::FeatureQuery& q,
                                               const store::Aggregate& a, bool& truncated) override;
  std::int64_t features(const core::Collection& c, const core::FeatureQuery& q, core::FeatureSink& sink,
                        std::int64_t* matched = nullptr) override;
  bool feature(const core::Collection& c, std::int64_t id, core::FeatureSink& sink) override;
  std::unique_ptr<store::CollectionWriter> replace_collection(const core::Collection& metadata) override;
  void remove_collection(std::string_view id) override;
  std::vector<store::StoredStyle> styles(std::string_view collection) override { return store_.styles(collection); }
  std::optional<store::StoredStyle> style(std::string_view collection, std::string_view name) override {
    return store_.style(collection, name);
  }
  void put_style(const store::StoredStyle& style) override;
  bool remove_style(std::string_view collection, std::string_view name) override {
    return store_.remove_style(collection, name);
  }
  std::vector<store::RasterLayer> rasters() override { return store_.rasters(); }
  std::optional<store::RasterLayer> raster(std::string_view id) override { return store_.raster(id); }
  void put_raster(const store::RasterLayer& raster) override { store_.put_raster(raster); }
  bool replace_grid(const store::RasterLayer& raster, std::string_view based_on) override {
    return store_.replace_grid(raster, based_on);
  }

 private:
  bool cascaded(std::string_view id) { return cascade_.collection(id).has_value(); }
  void refuse_cascaded_joins(const core::Collection& c, const core::FeatureQuery& q);

  store::Store& store_;
  Cascade& cascade_;
};

}  // namespace amis::federation
