#include "federation/cascading_store.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace amis::federation {
namespace {

[[noreturn]] void refuse_write(std::string_view id) {
  throw core::Conflict("collection '" + std::string(id.substr(0, 64)) +
                       "' is cascaded from a national node: it is changed at the node");
}

}  // namespace

std::vector<core::Collection> CascadingStore::collections() {
  auto all = store_.collections();
  for (auto& c : cascade_.collections())
    if (std::none_of(all.begin(), all.end(), [&](const core::Collection& s) { return s.id == c.id; }))
      all.push_back(std::move(c));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return all;
}

std::optional<core::Collection> CascadingStore::collection(std::string_view id) {
  if (auto c = store_.collection(id)) return c;
  return cascade_.collection(id);
}

std::vector<std::string> CascadingStore::text_values(const core::Collection& c, const std::string& property,
                                                     std::size_t max) {
  if (cascaded(c.id)) return {};  // not asked of the node: a queryable's values list stays empty
  return store_.text_values(c, property, max);
}

void CascadingStore::create_attribute_index(const core::Collection& c, const std::vector<std::string>& properties) {
  if (cascaded(c.id)) return;  // the node indexes its own data
  store_.create_attribute_index(c, properties);
}

// A spatial join (amis_inside, amis_within_distance) is evaluated in the store's own SQL:
// neither side may be a collection that lives at a node.
void CascadingStore::refuse_cascaded_joins(const core::Collection& c, const core::FeatureQuery& q) {
  if (q.joined.empty()) return;
  if (cascaded(c.id))
    throw core::InvalidParameter("filter", "'" + c.id + "' is read from a national node: a spatial join with another "
                                           "collection cannot be sent there");
  for (const auto& other : q.joined)
    if (cascaded(other.id))
      throw core::InvalidParameter("filter", "'" + other.id + "' is read from a national node: it cannot be the "
                                             "other collection of a spatial join");
}

std::int64_t CascadingStore::count(const core::Collection& c, const core::FeatureQuery& q) {
  refuse_cascaded_joins(c, q);
  if (cascaded(c.id)) return cascade_.count(c, q);
  return store_.count(c, q);
}

std::vector<store::AggregateGroup> CascadingStore::aggregate(const core::Collection& c, const core::FeatureQuery& q,
                                                             const store::Aggregate& a, bool& truncated) {
  refuse_cascaded_joins(c, q);
  if (cascaded(c.id))
    throw core::InvalidParameter("collection", "'" + c.id + "' is read from a national node: it is not summarised");
  return store_.aggregate(c, q, a, truncated);
}

std::int64_t CascadingStore::features(const core::Collection& c, const core::FeatureQuery& q, core::FeatureSink& sink,
                                      std::int64_t* matched) {
  refuse_cascaded_joins(c, q);
  if (cascaded(c.id)) return cascade_.features(c, q, sink, matched);
  return store_.features(c, q, sink, matched);
}

bool CascadingStore::feature(const core::Collection& c, std::int64_t id, core::FeatureSink& sink) {
  if (cascaded(c.id)) return cascade_.feature(c, id, sink);
  return store_.feature(c, id, sink);
}

std::unique_ptr<store::CollectionWriter> CascadingStore::replace_collection(const core::Collection& metadata) {
  if (cascaded(metadata.id) || cascade_.image_layer(metadata.id)) refuse_write(metadata.id);
  return store_.replace_collection(metadata);
}

void CascadingStore::remove_collection(std::string_view id) {
  if (cascaded(id) && !store_.collection(id)) refuse_write(id);
  store_.remove_collection(id);
}

void CascadingStore::put_style(const store::StoredStyle& style) {
  store_.put_style(style);
}

}  // namespace amis::federation
