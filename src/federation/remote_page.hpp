#pragma once
// A page of features a node sent (a GeoJSON FeatureCollection from OGC API -
// Features items or WFS GetFeature, or one Feature), read into what a store
// cursor hands out: an id, ISO WKB in CRS84 and values in the order of the
// published collection's properties. Bounded: the text (kMaxRemotePageBytes) and
// the features (kMaxRemoteFeatures) of a page.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/collection.hpp"
#include "core/feature.hpp"

namespace amis::federation {

inline constexpr std::size_t kMaxRemotePageBytes = 64u << 20;
inline constexpr std::size_t kMaxRemoteFeatures = 100000;

// One value as the page holds it (the text owned).
struct RemoteValue {
  core::Value::Kind kind = core::Value::Kind::Null;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;
};

struct RemoteFeature {
  std::string source_id;  // the feature's id at the node, as text
  std::int64_t id = 0;    // its id here: the node's when it is (or ends in) a number, else its position
  std::vector<std::uint8_t> wkb;  // empty: no geometry
  std::vector<RemoteValue> values;  // one per property of the collection

  // Views of the values for a sink, for the properties at `indexes` of the collection.
  void view(const std::vector<std::size_t>& indexes, std::vector<core::Value>& out) const;
};

struct RemotePage {
  std::vector<RemoteFeature> features;
  std::optional<std::int64_t> number_matched;
  std::string next;  // the href of the `next` link; empty: none
  std::size_t bytes = 0;  // about what the page holds in memory (for the cache's bound)
};

// @throws core::ParsingFailed for text that is no JSON object, no FeatureCollection
// (or Feature), or holds more than kMaxRemoteFeatures features; a feature whose
// geometry OGR cannot read is a ParsingFailed too (the node's fault: 502).
// `first_position` numbers features whose ids are not numbers (1-based).
RemotePage read_remote_page(std::string_view text, const core::Collection& collection,
                            std::int64_t first_position = 1);

// The properties of the features of a page (by name, types from
// their JSON values: integer, number, boolean, else text) and their geometry type
// (GEOMETRY when mixed), for a collection published from a node.
// @throws as read_remote_page.
void infer_schema(std::string_view text, core::Collection& collection);

// Learns one value of property `name` for infer_schema (and the GML page's): the
// property is added when new (at most 1,000); its type is the first value's
// (`type`; nullopt for a null), an integer property seeing a real becomes real,
// and any other mix text. `typed` keeps the properties seen with a value.
void learn_property(core::Collection& collection, std::vector<std::string>& typed, const std::string& name,
                    std::optional<core::PropertyType> type);

}  // namespace amis::federation
