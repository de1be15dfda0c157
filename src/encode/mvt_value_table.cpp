#include "encode/mvt_value_table.hpp"

#include <algorithm>
#include <functional>

#include <protozero/basic_pbf_writer.hpp>
#include <protozero/varint.hpp>

namespace amis::encode {
namespace {

constexpr protozero::pbf_tag_type kLayerValues = 4;
constexpr std::size_t kPrefetchBatch = 32;

std::uint32_t hash_of(std::string_view bytes) {
  const std::size_t h = std::hash<std::string_view>{}(bytes);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

std::string_view MvtValueTable::message(std::size_t entry) const {
  // The field is its tag (one byte: field 4, length-delimited), the length, the message.
  const char* p = fields_.data() + field_starts_[entry] + 1;
  const auto length = protozero::decode_varint(&p, fields_.data() + fields_.size());
  return {p, static_cast<std::size_t>(length)};
}

std::uint32_t MvtValueTable::index_of(std::string_view message) {
  reserve_for(1);
  return find_or_add(message, hash_of(message));
}

void MvtValueTable::indexes_of(std::span<const std::string_view> messages, std::uint32_t* out) {
  // Room for all of them first: the table must not move between a prefetch and its probe.
  reserve_for(messages.size());
  const std::size_t mask = slots_.size() - 1;
  std::uint32_t hashes[kPrefetchBatch];
  for (std::size_t start = 0; start < messages.size(); start += kPrefetchBatch) {
    const std::size_t n = std::min(kPrefetchBatch, messages.size() - start);
    for (std::size_t i = 0; i < n; ++i) {
      hashes[i] = hash_of(messages[start + i]);
      __builtin_prefetch(&slots_[hashes[i] & mask]);
    }
    for (std::size_t i = 0; i < n; ++i) out[start + i] = find_or_add(messages[start + i], hashes[i]);
  }
}

std::uint32_t MvtValueTable::find_or_add(std::string_view message, std::uint32_t hash) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot taken = slots_[slot];
    if (taken.entry == 0) {
      // Written as the layer's field 4 straight away; the entry points at the field.
      field_starts_.push_back(fields_.size());
      protozero::basic_pbf_writer<GrowingBuffer>(fields_).add_message(kLayerValues, message.data(), message.size());
      slots_[slot] = {hash, static_cast<std::uint32_t>(field_starts_.size())};
      return static_cast<std::uint32_t>(field_starts_.size() - 1);
    }
    if (taken.hash == hash && message == this->message(taken.entry - 1)) return taken.entry - 1;
  }
}

// Keeps the table at most three quarters full with `more` entries added.
void MvtValueTable::reserve_for(std::size_t more) {
  std::size_t size = slots_.empty() ? 1024 : slots_.size();
  while ((field_starts_.size() + more) * 4 > size * 3) size *= 2;
  if (size == slots_.size()) return;
  std::vector<Slot> old(size, Slot{0, 0});
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot s : old) {
    if (s.entry == 0) continue;
    std::size_t slot = s.hash & mask;
    while (slots_[slot].entry != 0) slot = (slot + 1) & mask;
    slots_[slot] = s;
  }
}

}  // namespace amis::encode
