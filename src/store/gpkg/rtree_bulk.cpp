#include "store/gpkg/rtree_bulk.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "core/error.hpp"

namespace amis::store::gpkg {
namespace {

using sqlite::quote_identifier;

// rtree.c's rounding of a double to the float that still contains it.
constexpr double kRoundTowards = 1.0 - 1.0 / 8388608.0;
constexpr double kRoundAway = 1.0 + 1.0 / 8388608.0;

float value_down(double d) {
  auto f = static_cast<float>(d);
  if (static_cast<double>(f) > d) f = static_cast<float>(d * (d < 0 ? kRoundAway : kRoundTowards));
  return f;
}

float value_up(double d) {
  auto f = static_cast<float>(d);
  if (static_cast<double>(f) < d) f = static_cast<float>(d * (d < 0 ? kRoundTowards : kRoundAway));
  return f;
}

constexpr std::size_t kCellBytes = 8 + 4 * 4;  // rowid, then minx, maxx, miny, maxy

void put_u16(std::uint8_t* p, unsigned v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<std::uint8_t>(v);
}

void put_float(std::uint8_t* p, float f) {
  const auto bits = std::bit_cast<std::uint32_t>(f);
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(bits >> (24 - 8 * i));
}

RtreeEntry bounds(std::span<const RtreeEntry> cells, std::int64_t id) {
  RtreeEntry b{id, cells[0].min_x, cells[0].max_x, cells[0].min_y, cells[0].max_y};
  for (const auto& c : cells.subspan(1)) {
    b.min_x = std::min(b.min_x, c.min_x);
    b.max_x = std::max(b.max_x, c.max_x);
    b.min_y = std::min(b.min_y, c.min_y);
    b.max_y = std::max(b.max_y, c.max_y);
  }
  return b;
}

// Sort-Tile-Recursive: vertical slices by x, then runs of nearly equal size by
// y, so that no node is much emptier than the others.
std::vector<std::span<RtreeEntry>> pack(std::vector<RtreeEntry>& items, std::size_t capacity) {
  const std::size_t n = items.size();
  const std::size_t nodes = (n + capacity - 1) / capacity;
  const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
  const std::size_t per_slice = ((nodes + slices - 1) / slices) * capacity;
  auto centre_x = [](const RtreeEntry& e) { return static_cast<double>(e.min_x) + e.max_x; };
  auto centre_y = [](const RtreeEntry& e) { return static_cast<double>(e.min_y) + e.max_y; };
  std::sort(items.begin(), items.end(), [&](const auto& a, const auto& b) { return centre_x(a) < centre_x(b); });
  std::vector<std::span<RtreeEntry>> groups;
  for (std::size_t start = 0; start < n; start += per_slice) {
    std::span<RtreeEntry> slice(items.data() + start, std::min(per_slice, n - start));
    std::sort(slice.begin(), slice.end(), [&](const auto& a, const auto& b) { return centre_y(a) < centre_y(b); });
    const std::size_t count = (slice.size() + capacity - 1) / capacity;
    for (std::size_t g = 0; g < count; ++g) {
      const std::size_t from = slice.size() * g / count, to = slice.size() * (g + 1) / count;
      groups.push_back(slice.subspan(from, to - from));
    }
  }
  return groups;
}

class ShadowWriter {
 public:
  ShadowWriter(sqlite::Database& db, const std::string& rtree)
      : node_(db.handle(), "INSERT OR REPLACE INTO " + quote_identifier(rtree + "_node") + " (nodeno, data) VALUES (?, ?)"),
        rowid_(db.handle(), "INSERT INTO " + quote_identifier(rtree + "_rowid") + " (rowid, nodeno) VALUES (?, ?)"),
        parent_(db.handle(), "INSERT INTO " + quote_identifier(rtree + "_parent") + " (nodeno, parentnode) VALUES (?, ?)") {
    sqlite::Statement size(db.handle(), "SELECT length(data), substr(data, 3, 2) = x'0000' FROM " +
                                            quote_identifier(rtree + "_node") + " WHERE nodeno = 1");
    if (!size.step() || size.column_int(1) != 1)
      throw core::ServerError("R-tree '" + rtree + "' is not a new, empty one");
    node_size_ = static_cast<std::size_t>(size.column_int(0));
  }

  std::size_t capacity() const { return (node_size_ - 4) / kCellBytes; }

  // Writes one node; its cells' ids are rowids (a leaf) or node numbers.
  void write(std::int64_t nodeno, std::span<const RtreeEntry> cells, bool leaf, int root_depth) {
    blob_.assign(node_size_, 0);
    if (nodeno == 1) put_u16(blob_.data(), static_cast<unsigned>(root_depth));
    put_u16(blob_.data() + 2, static_cast<unsigned>(cells.size()));
    std::uint8_t* p = blob_.data() + 4;
    for (const auto& c : cells) {
      put_u64(p, static_cast<std::uint64_t>(c.id));
      put_float(p + 8, c.min_x);
      put_float(p + 12, c.max_x);
      put_float(p + 16, c.min_y);
      put_float(p + 20, c.max_y);
      p += kCellBytes;
      auto& link = leaf ? rowid_ : parent_;
      link.reset();
      link.bind(1, c.id);
      link.bind(2, nodeno);
      link.run();
    }
    node_.reset();
    node_.bind(1, nodeno);
    node_.bind_blob(2, blob_);
    node_.run();
  }

 private:
  sqlite::Statement node_, rowid_, parent_;
  std::size_t node_size_ = 0;
  std::vector<std::uint8_t> blob_;
};

}  // namespace

RtreeEntry rtree_entry(std::int64_t id, const core::Envelope& e) {
  return {id, value_down(e.min_x), value_up(e.max_x), value_down(e.min_y), value_up(e.max_y)};
}

void bulk_load_rtree(sqlite::Database& db, const std::string& rtree, std::vector<RtreeEntry> entries) {
  ShadowWriter writer(db, rtree);
  if (entries.empty()) return;
  const std::size_t capacity = writer.capacity();
  // Levels from the leaves up; node numbers 2, 3, ... as nodes are made, 1 for the root.
  std::int64_t next_nodeno = 2;
  bool leaf = true;
  for (int depth = 0;; ++depth) {
    auto groups = pack(entries, capacity);
    if (groups.size() == 1) {
      writer.write(1, groups[0], leaf, depth);
      return;
    }
    std::vector<RtreeEntry> parents;
    parents.reserve(groups.size());
    for (const auto& g : groups) {
      const std::int64_t nodeno = next_nodeno++;
      writer.write(nodeno, g, leaf, 0);
      parents.push_back(bounds(g, nodeno));
    }
    entries = std::move(parents);
    leaf = false;
  }
}

}  // namespace amis::store::gpkg
