#pragma once
// A view of one feature as it comes out of a store cursor. Nothing is copied:
// the views are valid only during the FeatureSink::feature() call.
#include <cstdint>
#include <span>
#include <string_view>

namespace amis::core {

struct Value {
  enum class Kind { Null, Integer, Real, Text };
  Kind kind = Kind::Null;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;
};

struct FeatureView {
  std::int64_t id = 0;
  std::span<const std::uint8_t> wkb;  // ISO WKB in CRS84; empty for a feature without geometry
  std::span<const Value> values;      // one per Collection::properties entry, same order
};

}  // namespace amis::core
