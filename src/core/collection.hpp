#pragma once
// A collection of features: the unit every standard publishes (an OGC API
// collection, a WFS feature type, a WMS layer).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/datetime.hpp"
#include "core/envelope.hpp"

namespace amis::core {

enum class PropertyType { Integer, Real, Text, Boolean, Date, DateTime };

const char* to_string(PropertyType type);

// One attribute of the features of a collection.
struct Property {
  std::string name;
  PropertyType type = PropertyType::Text;
};

struct Collection {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> keywords;
  std::string licence;
  std::string attribution;
  std::string geometry_type = "GEOMETRY";  // OGC Simple Features name: POINT, MULTIPOLYGON, ...
  std::vector<Property> properties;
  std::optional<std::string> temporal_property;  // the property `datetime` filters on
  std::optional<Envelope> extent;                  // CRS84
  std::optional<TimeInterval> temporal_extent;
  std::int64_t feature_count = 0;
  std::string updated;  // RFC 3339, when the data last changed

  const Property* property(std::string_view name) const {
    for (const auto& p : properties)
      if (p.name == name) return &p;
    return nullptr;
  }
};

// Whether the collection can be drawn: a map layer of WMS, WMTS and tiles. A table without
// geometry (statistics, the work plan's progress reports) is imported with the generic type
// GEOMETRY and has no extent: it is served as features, never as a layer. A collection with a
// declared geometry type is a layer even while it is empty.
bool is_map_layer(const Collection& collection);

// The collection with only the named properties, in the collection's order;
// all of them for nullopt. Unknown names are ignored here (callers validate).
Collection project(const Collection& collection,
                   const std::optional<std::vector<std::string>>& names);

}  // namespace amis::core
