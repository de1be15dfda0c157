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
  out.terms_ = std::move(terms_);
  out.starts_ = std::move(starts_);
  out.terms_of_ = std::move(terms_of_);
  out.terms_of_.shrink_to_fit();
  out.version_ = version;
  return out;
}

void FacetIndex::Matches::add(std::int64_t fid) {
  ++count_;
  if (fid < 0 || fid + 1 >= static_cast<std::int64_t>(index_.starts_.size())) return;  // newer than the index: no terms
  bits_[static_cast<std::size_t>(fid) >> 6] |= std::uint64_t{1} << (fid & 63);
}

std::vector<FacetRow> FacetIndex::Matches::facet_rows(const std::vector<catalog::FacetField>& fields) const {
  std::vector<std::uint32_t> counts(index_.terms_.size(), 0);  // by term number
  for (std::size_t word = 0; word < bits_.size(); ++word)
    for (std::uint64_t w = bits_[word]; w; w &= w - 1) {
      const std::size_t fid = (word << 6) + static_cast<std::size_t>(__builtin_ctzll(w));
      for (std::uint32_t i = index_.starts_[fid]; i < index_.starts_[fid + 1]; ++i) ++counts[index_.terms_of_[i]];
    }
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
