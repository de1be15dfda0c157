#include "encode/mvt_value_table.hpp"

#include <functional>

#include <protozero/pbf_writer.hpp>

namespace amis::encode {
namespace {

constexpr protozero::pbf_tag_type kLayerValues = 4;

std::uint32_t hash_of(std::string_view bytes) {
  const std::size_t h = std::hash<std::string_view>{}(bytes);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

std::uint32_t MvtValueTable::index_of(std::string_view message) {
  if ((entries_.size() + 1) * 4 > slots_.size() * 3) grow();
  const std::uint32_t hash = hash_of(message);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot taken = slots_[slot];
    if (taken.entry == 0) {
      // Written as the layer's field 4 straight away; the entry points at the message.
      protozero::pbf_writer(fields_).add_message(kLayerValues, message.data(), message.size());
      entries_.push_back({fields_.size() - message.size(), static_cast<std::uint32_t>(message.size()), hash});
      slots_[slot] = {hash, static_cast<std::uint32_t>(entries_.size())};
      return static_cast<std::uint32_t>(entries_.size() - 1);
    }
    if (taken.hash == hash && message == this->message(entries_[taken.entry - 1])) return taken.entry - 1;
  }
}

void MvtValueTable::grow() {
  slots_.assign(slots_.empty() ? 1024 : slots_.size() * 2, Slot{0, 0});
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::size_t slot = entries_[i].hash & mask;
    while (slots_[slot].entry != 0) slot = (slot + 1) & mask;
    slots_[slot] = {entries_[i].hash, static_cast<std::uint32_t>(i + 1)};
  }
}

}  // namespace amis::encode
