#pragma once
// Mapbox Vector Tile 2.1 encoding with protozero: one layer per collection, the
// features' ids, attributes (keys and values shared across the layer) and
// geometry commands. A tile is the concatenation of its layers.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "core/feature_sink.hpp"
#include "encode/growing_buffer.hpp"
#include "encode/mvt_value_table.hpp"
#include "encode/tile_geometry.hpp"

namespace amis::encode {

class MvtLayer final : public core::FeatureSink {
 public:
  // `geometry` turns each feature's WKB into tile coordinates (clipped to the tile).
  MvtLayer(std::string name, TileGeometryBuilder& geometry, int extent = 4096)
      : name_(std::move(name)), geometry_(geometry), extent_(extent) {}

  void begin(const core::Collection& collection) override;
  void feature(const core::FeatureView& feature) override;
  void end() override {}

  std::size_t size() const { return count_; }
  // Appends the layer to an encoded tile (nothing when it has no feature).
  void append_to(std::string& tile) const;

 private:
  std::uint32_t key_index(std::size_t property);
  // Appends the Value message of `value` to value_bytes_ and its end to value_ends_.
  void encode_value(const core::Value& value, core::PropertyType type);

  std::string name_;
  TileGeometryBuilder& geometry_;
  int extent_;
  std::vector<core::Property> properties_;
  std::vector<std::int64_t> key_of_property_;  // -1 until the key is used
  std::vector<std::string> keys_;
  MvtValueTable values_;
  GrowingBuffer features_;  // encoded Feature messages as layer field 2
  std::size_t count_ = 0;
  TileGeometry scratch_;
  std::vector<std::uint32_t> tags_;
  std::vector<std::uint32_t> commands_;
  std::string value_bytes_;  // a feature's encoded values, one after the other
  std::vector<std::size_t> value_ends_;
  std::vector<std::string_view> value_views_;
  std::vector<std::uint32_t> value_indexes_;
};

// The geometry commands of §4.3 for one feature (MoveTo, LineTo, ClosePath
// with zigzag-encoded deltas).
void encode_geometry_commands(const TileGeometry& geometry, std::vector<std::uint32_t>& commands);

}  // namespace amis::encode
