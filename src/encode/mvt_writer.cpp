#include "encode/mvt_writer.hpp"

#include <protozero/basic_pbf_writer.hpp>
#include <protozero/pbf_writer.hpp>
#include <protozero/varint.hpp>

namespace amis::encode {
namespace {

// Field numbers of vector_tile.proto.
namespace tile_field { constexpr protozero::pbf_tag_type layers = 3; }
namespace layer_field {
constexpr protozero::pbf_tag_type name = 1, features = 2, keys = 3, extent = 5, version = 15;  // values = 4: MvtValueTable
}
namespace feature_field { constexpr protozero::pbf_tag_type id = 1, tags = 2, type = 3, geometry = 4; }
namespace value_field {
constexpr protozero::pbf_tag_type string = 1, real = 3, uint = 5, sint = 6, boolean = 7;
}

constexpr std::uint32_t kMoveTo = 1, kLineTo = 2, kClosePath = 7;

std::uint32_t command(std::uint32_t id, std::size_t count) {
  return (id & 0x7u) | (static_cast<std::uint32_t>(count) << 3);
}

}  // namespace

void encode_geometry_commands(const TileGeometry& geometry, std::vector<std::uint32_t>& commands) {
  commands.clear();
  std::int32_t cx = 0, cy = 0;
  auto delta = [&](const TilePoint& p) {
    commands.push_back(protozero::encode_zigzag32(p.x - cx));
    commands.push_back(protozero::encode_zigzag32(p.y - cy));
    cx = p.x;
    cy = p.y;
  };
  if (geometry.type == TileGeometryType::Point) {
    for (const auto& part : geometry.parts) {
      if (part.empty()) continue;
      commands.push_back(command(kMoveTo, part.size()));
      for (const auto& p : part) delta(p);
    }
    return;
  }
  const bool polygon = geometry.type == TileGeometryType::Polygon;
  for (const auto& part : geometry.parts) {
    if (part.size() < (polygon ? 3u : 2u)) continue;
    commands.push_back(command(kMoveTo, 1));
    delta(part.front());
    commands.push_back(command(kLineTo, part.size() - 1));
    for (std::size_t i = 1; i < part.size(); ++i) delta(part[i]);
    if (polygon) commands.push_back(command(kClosePath, 1));
  }
}

void MvtLayer::begin(const core::Collection& collection) {
  properties_ = collection.properties;
  key_of_property_.assign(properties_.size(), -1);
}

std::uint32_t MvtLayer::key_index(std::size_t property) {
  if (key_of_property_[property] < 0) {
    key_of_property_[property] = static_cast<std::int64_t>(keys_.size());
    keys_.push_back(properties_[property].name);
  }
  return static_cast<std::uint32_t>(key_of_property_[property]);
}

void MvtLayer::encode_value(const core::Value& value, core::PropertyType type) {
  protozero::pbf_writer v(value_bytes_);
  switch (value.kind) {
    case core::Value::Kind::Integer:
      if (type == core::PropertyType::Boolean) v.add_bool(value_field::boolean, value.integer != 0);
      else if (value.integer >= 0) v.add_uint64(value_field::uint, static_cast<std::uint64_t>(value.integer));
      else v.add_sint64(value_field::sint, value.integer);
      break;
    case core::Value::Kind::Real: v.add_double(value_field::real, value.real); break;
    case core::Value::Kind::Text: v.add_string(value_field::string, value.text.data(), value.text.size()); break;
    case core::Value::Kind::Null: break;
  }
  value_ends_.push_back(value_bytes_.size());
}

void MvtLayer::feature(const core::FeatureView& f) {
  if (f.wkb.empty() || !geometry_.build(f.wkb, scratch_)) return;
  encode_geometry_commands(scratch_, commands_);
  if (commands_.empty()) return;
  // The feature's values are encoded first, then found in the layer's table together.
  value_bytes_.clear();
  value_ends_.clear();
  tags_.clear();
  for (std::size_t i = 0; i < f.values.size() && i < properties_.size(); ++i) {
    if (f.values[i].kind == core::Value::Kind::Null) continue;  // MVT has no null: the key is left out
    tags_.push_back(key_index(i));
    tags_.push_back(0);  // the value's index, once the values are found below
    encode_value(f.values[i], properties_[i].type);
  }
  value_views_.clear();
  for (std::size_t k = 0, begin = 0; k < value_ends_.size(); begin = value_ends_[k++])
    value_views_.emplace_back(value_bytes_.data() + begin, value_ends_[k] - begin);
  value_indexes_.resize(value_views_.size());
  values_.indexes_of(value_views_, value_indexes_.data());
  for (std::size_t k = 0; k < value_indexes_.size(); ++k) tags_[2 * k + 1] = value_indexes_[k];
  protozero::basic_pbf_writer<GrowingBuffer> layer(features_);
  protozero::basic_pbf_writer<GrowingBuffer> feature(layer, layer_field::features);
  if (f.id >= 0) feature.add_uint64(feature_field::id, static_cast<std::uint64_t>(f.id));
  if (!tags_.empty()) feature.add_packed_uint32(feature_field::tags, tags_.begin(), tags_.end());
  feature.add_enum(feature_field::type, static_cast<std::int32_t>(scratch_.type));
  feature.add_packed_uint32(feature_field::geometry, commands_.begin(), commands_.end());
  ++count_;
}

void MvtLayer::append_to(std::string& tile) const {
  if (count_ == 0) return;
  // The layer goes into the tile in one piece: its features and values (megabytes
  // at low zoom levels) are copied once, not first into a layer message.
  std::string head, tail;
  {
    protozero::pbf_writer w(head);
    w.add_uint32(layer_field::version, 2);
    w.add_string(layer_field::name, name_);
  }
  {
    protozero::pbf_writer w(tail);
    for (const auto& k : keys_) w.add_string(layer_field::keys, k);
  }
  std::string extent;
  protozero::pbf_writer(extent).add_uint32(layer_field::extent, static_cast<std::uint32_t>(extent_));
  protozero::pbf_writer(tile).add_bytes_vectored(tile_field::layers, head, features_.view(), tail,
                                                 values_.as_layer_fields(), extent);
}

}  // namespace amis::encode
