#include "store/record_extents.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "store/catalog_conditions.hpp"

namespace amis::store {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::uint32_t RecordExtents::Builder::time_id(std::optional<std::string_view> t) {
  if (!t) return kNoTime;
  auto [it, added] = times_.try_emplace(std::string(*t), static_cast<std::uint32_t>(times_.size()));
  return it->second;
}

bool RecordExtents::Builder::add(std::int64_t fid, std::optional<core::Envelope> extent,
                                 std::optional<std::string_view> start, std::optional<std::string_view> end) {
  if (failed_ || fid < 0 || fid >= kMaxFid) {
    failed_ = true;
    return false;
  }
  const auto at = static_cast<std::size_t>(fid);
  if (extents_.size() <= at) {
    extents_.resize(at + 1, Extent{kNaN, kNaN, kNaN, kNaN, kNoTime, kNoTime});
    held_.resize(at + 1, false);
  }
  held_[at] = true;
  Extent& e = extents_[at];
  if (extent) {
    e.min_x = extent->min_x;
    e.min_y = extent->min_y;
    e.max_x = extent->max_x;
    e.max_y = extent->max_y;
  }
  e.start = time_id(start);
  e.end = time_id(end);
  return true;
}

std::optional<RecordExtents> RecordExtents::Builder::finish(std::int64_t version) && {
  if (failed_) return std::nullopt;
  RecordExtents out;
  // Times numbered in the order met become their ranks in text order.
  out.times_.resize(times_.size());
  for (auto& [text, id] : times_) out.times_[id] = text;
  std::vector<std::uint32_t> order(out.times_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::ranges::sort(order, [&](std::uint32_t a, std::uint32_t b) { return out.times_[a] < out.times_[b]; });
  std::vector<std::uint32_t> rank(order.size());
  std::vector<std::string> sorted(order.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = r;
    sorted[r] = std::move(out.times_[order[r]]);
  }
  out.times_ = std::move(sorted);
  for (auto& e : extents_) {
    if (e.start != kNoTime) e.start = rank[e.start];
    if (e.end != kNoTime) e.end = rank[e.end];
  }
  extents_.shrink_to_fit();
  out.extents_ = std::move(extents_);
  out.held_ = std::move(held_);
  out.version_ = version;
  return out;
}

RecordExtents::Window RecordExtents::window(const std::optional<core::Envelope>& bbox,
                                            const std::optional<core::TimeInterval>& datetime) const {
  Window w;
  if (bbox) w.boxes = antimeridian_boxes(*bbox);
  if (datetime) {
    w.timed = true;
    // std::string's order is memcmp's, as SQLite's BINARY collation.
    if (datetime->end)
      w.starts_below = static_cast<std::uint32_t>(std::ranges::upper_bound(times_, *datetime->end) - times_.begin());
    if (datetime->start)
      w.ends_from = static_cast<std::uint32_t>(std::ranges::lower_bound(times_, *datetime->start) - times_.begin());
  }
  return w;
}

bool RecordExtents::meets(std::uint32_t fid, const Window& w) const {
  if (fid >= extents_.size() || !held_[fid]) return false;
  const Extent& e = extents_[fid];
  if (!w.boxes.empty()) {
    bool any = false;
    for (const auto& b : w.boxes)  // NaN compares false: a NULL bound meets no box
      any = any || (e.min_x <= b.max_x && e.max_x >= b.min_x && e.min_y <= b.max_y && e.max_y >= b.min_y);
    if (!any) return false;
  }
  if (w.timed) {
    if (e.start == kNoTime && e.end == kNoTime) return false;
    if (w.starts_below && e.start != kNoTime && e.start >= *w.starts_below) return false;
    if (w.ends_from && e.end != kNoTime && e.end < *w.ends_from) return false;
  }
  return true;
}

std::vector<std::uint64_t> RecordExtents::bitmap(const Window& w) const {
  std::vector<std::uint64_t> bits((extents_.size() >> 6) + 1, 0);
  for (std::uint32_t fid = 0; fid < extents_.size(); ++fid)
    if (meets(fid, w)) bits[fid >> 6] |= std::uint64_t{1} << (fid & 63);
  return bits;
}

}  // namespace amis::store
