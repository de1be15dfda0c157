#pragma once
// The values of one MVT layer (vector_tile.proto Layer.values): each distinct
// encoded Value message once, numbered in order of first use. A tile of half a
// million points has millions of values, most of them distinct (ids, names,
// dates), so they live in one growing buffer, already written as the layer's
// field 4, and an open-addressing table of (hash, entry) finds a repeated one: no
// allocation per value, no second copy. A feature's values are looked up together:
// their slots are fetched from memory at once rather than one cache miss after
// another (the table of a z5 tile is tens of megabytes).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "encode/growing_buffer.hpp"

namespace amis::encode {

class MvtValueTable {
 public:
  // The index of `message` (an encoded Value), added when new.
  std::uint32_t index_of(std::string_view message);
  // index_of() of each message in turn, into out[0 .. messages.size()).
  void indexes_of(std::span<const std::string_view> messages, std::uint32_t* out);
  // Every value as the layer's repeated field 4, in index order.
  std::string_view as_layer_fields() const { return fields_.view(); }
  std::size_t size() const { return field_starts_.size(); }

 private:
  // A slot holds the hash beside the entry, so a probe past other values reads
  // only the slots' array.
  struct Slot {
    std::uint32_t hash;
    std::uint32_t entry;  // entry index + 1; 0 is empty
  };
  std::string_view message(std::size_t entry) const;
  std::uint32_t find_or_add(std::string_view message, std::uint32_t hash);
  void reserve_for(std::size_t more);

  GrowingBuffer fields_;
  std::vector<std::size_t> field_starts_;  // of each entry's field (tag, length, message) in fields_
  std::vector<Slot> slots_;
};

}  // namespace amis::encode
