#include "store/visible_store.hpp"

#include "core/spatial_join.hpp"

namespace amis::store {

std::optional<core::FeatureQuery> VisibleStore::with_joins(const core::FeatureQuery& query) {
  const auto ids = query.filter ? core::joined_collections(*query.filter) : std::vector<std::string>{};
  if (ids.empty() && query.joined.empty()) return std::nullopt;
  core::FeatureQuery joined = query;
  joined.joined.clear();  // only what is looked up here, for this caller
  for (const auto& id : ids)
    if (auto c = collection(id)) joined.joined.push_back(std::move(*c));
  return joined;
}

std::vector<core::Collection> VisibleStore::collections() {
  auto all = store_.collections();
  std::erase_if(all, [this](const core::Collection& c) { return !visible(c.id); });
  return all;
}

std::optional<core::Collection> VisibleStore::collection(std::string_view id) {
  if (!visible(id)) return std::nullopt;
  return store_.collection(id);
}

std::vector<StoredStyle> VisibleStore::styles(std::string_view collection) {
  if (!visible(collection)) return {};
  return store_.styles(collection);
}

std::optional<StoredStyle> VisibleStore::style(std::string_view collection, std::string_view name) {
  if (!visible(collection)) return std::nullopt;
  return store_.style(collection, name);
}

std::vector<RasterLayer> VisibleStore::rasters() {
  auto all = store_.rasters();
  std::erase_if(all, [this](const RasterLayer& r) { return !visible(r.id); });
  return all;
}

std::optional<RasterLayer> VisibleStore::raster(std::string_view id) {
  if (!visible(id)) return std::nullopt;
  return store_.raster(id);
}

}  // namespace amis::store
