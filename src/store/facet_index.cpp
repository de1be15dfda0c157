#include "store/facet_index.hpp"

#include <utility>

namespace amis::store {

bool FacetIndex::Builder::add(std::int64_t fid, catalog::FacetField field, std::string_view value) {
  const auto records = static_cast<std::int64_t>(starts_.size());
  if (failed_ || fid < 0 || fid >= kMaxFid || fid + 1 < records ||
      static_cast<std::int64_t>(terms_of_.size()) >= kMaxPostings) {
    failed_ = true;
    return false;
  }
  // Records without terms up to this one start where it does.
  while (static_cast<std::int64_t>(starts_.size()) <= fid) starts_.push_back(static_cast<std::uint32_t>(terms_of_.size()));
  key_.assign(1, static_cast<char>(field));
  key_ += value;
  auto [it, added] = where_.try_emplace(key_, static_cast<std::uint32_t>(terms_.size()));
  if (added) terms_.push_back({field, std::string(value)});
  terms_of_.push_back(it->second);
  return true;
}

std::optional<FacetIndex> FacetIndex::Builder::finish(std::int64_t version) && {
  if (failed_) return std::nullopt;
  FacetIndex out;
  starts_.push_back(static_cast<std::uint32_t>(terms_of_.size()));  // the end of the last record's terms
  if (terms_.size() <= 0x100) out.narrow_.assign(terms_of_.begin(), terms_of_.end());
  else if (terms_.size() <= 0x10000) out.half_.assign(terms_of_.begin(), terms_of_.end());
  else out.wide_ = std::move(terms_of_);
  std::vector<std::uint32_t>().swap(terms_of_);
  out.terms_ = std::move(terms_);
  out.starts_ = std::move(starts_);
  out.version_ = version;
  return out;
}

void FacetIndex::Matches::add(std::int64_t fid) {
  ++count_;
  if (fid < 0 || fid + 1 >= static_cast<std::int64_t>(index_.starts_.size())) return;  // newer than the index: no terms
  bits_[static_cast<std::size_t>(fid) >> 6] |= std::uint64_t{1} << (fid & 63);
}

// Each match's terms counted, in record order, with the places of the matches a few
// ahead asked for before they are read: their record's start (a cache line of starts_)
// at twice the distance, their terms at the distance, so that many misses are under
// way at once instead of one per match. Consecutive matches count into four tables in
// turn: terms every record has ("Mineral resources") would otherwise make each
// increment wait for the last one's store (`tables`: kTables of terms_.size() counts).
template <typename TermNumber>
void FacetIndex::count_terms(const std::vector<TermNumber>& held, const std::vector<std::uint32_t>& fids,
                             std::vector<std::uint32_t>& tables) const {
  constexpr std::size_t kAhead = 16;
  const std::size_t width = terms_.size();
  const TermNumber* terms = held.data();
  const std::size_t n = fids.size();
  for (std::size_t k = 0; k < n; ++k) {
    if (k + 2 * kAhead < n) __builtin_prefetch(&starts_[fids[k + 2 * kAhead]]);
    if (k + kAhead < n) __builtin_prefetch(terms + starts_[fids[k + kAhead]]);
    const std::uint32_t fid = fids[k];
    const std::uint32_t first = starts_[fid], end = starts_[fid + 1];  // read once: the tables' stores could alias them
    std::uint32_t* table = tables.data() + (k % kTables) * width;
    for (std::uint32_t i = first; i < end; ++i) ++table[terms[i]];
  }
}

std::vector<FacetRow> FacetIndex::Matches::facet_rows(const std::vector<catalog::FacetField>& fields) const {
  const std::size_t width = index_.terms_.size();
  std::vector<std::uint32_t> tables(width * kTables, 0);
  // The matches held by the index, in record order, a block at a time: a list of all of
  // them (1.4 MB for 363,320 matches) was fresh memory each time, 363 page faults.
  constexpr std::size_t kBlock = 4096;
  std::vector<std::uint32_t> fids;
  fids.reserve(kBlock);
  const auto count_block = [&] {
    if (!index_.narrow_.empty()) index_.count_terms(index_.narrow_, fids, tables);
    else if (!index_.half_.empty()) index_.count_terms(index_.half_, fids, tables);
    else index_.count_terms(index_.wide_, fids, tables);
    fids.clear();
  };
  for (std::size_t word = 0; word < bits_.size(); ++word) {
    for (std::uint64_t w = bits_[word]; w; w &= w - 1)
      fids.push_back(static_cast<std::uint32_t>((word << 6) + static_cast<std::size_t>(__builtin_ctzll(w))));
    if (fids.size() > kBlock - 64) count_block();
  }
  count_block();
  std::vector<std::uint32_t> counts(tables.begin(), tables.begin() + static_cast<std::ptrdiff_t>(width));  // by term number
  for (std::size_t t = 1; t < kTables; ++t)
    for (std::size_t term = 0; term < width; ++term) counts[term] += tables[t * width + term];
  std::vector<FacetRow> out;
  for (std::size_t t = 0; t < counts.size(); ++t) {
    if (!counts[t]) continue;
    const auto& term = index_.terms_[t];
    bool wanted = false;
    for (auto f : fields) wanted = wanted || f == term.field;
    if (wanted) out.push_back({term.field, term.value, counts[t]});
  }
  return out;
}

}  // namespace amis::store
