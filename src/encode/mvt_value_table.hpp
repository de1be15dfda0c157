#pragma once
// The values of one MVT layer (vector_tile.proto Layer.values): each distinct
// encoded Value message once, numbered in order of first use. A tile of half a
// million points has millions of values, most of them distinct (ids, names,
// dates), so they live in one growing buffer, already written as the layer's
// field 4, and an open-addressing table of (offset, length, hash) finds a
// repeated one: no allocation per value, no second copy.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace amis::encode {

class MvtValueTable {
 public:
  // The index of `message` (an encoded Value), added when new.
  std::uint32_t index_of(std::string_view message);
  // Every value as the layer's repeated field 4, in index order.
  const std::string& as_layer_fields() const { return fields_; }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::size_t offset;  // of the message inside fields_
    std::uint32_t length;
    std::uint32_t hash;
  };
  // A slot holds the hash beside the entry, so a probe past other values reads
  // only the slots' array.
  struct Slot {
    std::uint32_t hash;
    std::uint32_t entry;  // entry index + 1; 0 is empty
  };
  std::string_view message(const Entry& e) const { return {fields_.data() + e.offset, e.length}; }
  void grow();

  std::string fields_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;
};

}  // namespace amis::encode
