#pragma once
// A typed request for features, the same for every protocol and every store.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "core/datetime.hpp"
#include "core/crs.hpp"
#include "core/envelope.hpp"
#include "core/expression.hpp"

namespace amis::core {

// `property=value` on a queryable property (OGC API - Features Part 1, 7.15.5).
struct PropertyEquals {
  std::string property;
  std::string value;
};

// One key of `sortby`: a property, ascending unless `descending`.
struct SortKey {
  std::string property;
  bool descending = false;
};

struct FeatureQuery {
  std::string collection;
  std::optional<Envelope> bbox;  // CRS84
  std::optional<TimeInterval> datetime;
  std::vector<PropertyEquals> equals;
  std::shared_ptr<const Expression> filter;  // CQL2 (Part 3) or FES; null: none
  std::optional<std::vector<std::int64_t>> ids;  // only these features (FES ResourceId)
  std::vector<SortKey> sortby;               // then by id, always
  std::optional<std::vector<std::string>> properties;  // which properties to return; nullopt: all
  Crs crs;  // the CRS of the returned geometries (Part 2); stores return CRS84, encoders reproject
  std::int64_t limit = 10;
  std::int64_t offset = 0;
  // Keyset paging: only features whose id is greater than this one (the last id
  // of the previous page), so a deep page costs what the first one does. Only
  // with the id order (no sortby); `offset` is then the page's position, for
  // links and numbering, and skips nothing. Counts ignore it.
  std::optional<std::int64_t> after;
  // The collections the filter's spatial joins name, as the caller may see them
  // (store::VisibleStore fills this in); a join naming any other is refused.
  std::vector<Collection> joined;
};

// The query without its page: what count() and numberMatched are about.
inline FeatureQuery unpaged(FeatureQuery query) {
  query.after.reset();
  query.offset = 0;
  return query;
}

}  // namespace amis::core
