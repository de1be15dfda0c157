#include "store/facet_index.hpp"

#include <algorithm>
#include <utility>

namespace amis::store {

bool FacetIndex::Builder::add(catalog::FacetField field, std::string_view value, std::int64_t fid) {
  if (failed_ || fid < 0 || fid >= kMaxFid || ++postings_ > kMaxPostings) {
    failed_ = true;
    return false;
  }
  // Terms come grouped (the table's key order): the current one is nearly always it.
  if (terms_.empty() || terms_[current_].field != field || terms_[current_].value != value) {
    auto [it, added] = where_.try_emplace(std::make_pair(field, std::string(value)), terms_.size());
    if (added) terms_.push_back({field, std::string(value), {}});
    current_ = it->second;
  }
  terms_[current_].fids.push_back(static_cast<std::uint32_t>(fid));
  max_fid_ = std::max(max_fid_, fid);
  return true;
}

std::optional<FacetIndex> FacetIndex::Builder::finish(std::int64_t version) && {
  if (failed_) return std::nullopt;
  FacetIndex out;
  for (auto& t : terms_) t.fids.shrink_to_fit();
  out.terms_ = std::move(terms_);
  out.version_ = version;
  out.postings_ = postings_;
  out.max_fid_ = max_fid_;
  return out;
}

bool FacetIndex::worth_it(std::int64_t matches) const {
  // A pass over the postings costs about a nanosecond each; SQL's lookup of one
  // match's terms a microsecond or more.
  return matches * 1024 >= postings_;
}

void FacetIndex::Matches::add(std::int64_t fid) {
  ++count_;
  if (fid < 0 || fid > index_.max_fid_) return;  // a record newer than the index: in no term
  bits_[static_cast<std::size_t>(fid) >> 6] |= std::uint64_t{1} << (fid & 63);
}

std::vector<FacetRow> FacetIndex::Matches::facet_rows(const std::vector<catalog::FacetField>& fields) const {
  std::vector<FacetRow> out;
  for (const auto& term : index_.terms_) {
    bool wanted = false;
    for (auto f : fields) wanted = wanted || f == term.field;
    if (!wanted) continue;
    std::int64_t n = 0;
    for (std::uint32_t fid : term.fids) n += static_cast<std::int64_t>((bits_[fid >> 6] >> (fid & 63)) & 1u);
    if (n) out.push_back({term.field, term.value, n});
  }
  return out;
}

FacetIndexCache::~FacetIndexCache() {
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const FacetIndex> FacetIndexCache::at(std::int64_t version) {
  std::lock_guard lock(mutex_);
  if (index_ && index_->version() == version) return index_;
  if (!building_ && std::chrono::steady_clock::now() >= next_build_) {
    if (thread_.joinable()) thread_.join();  // the last build, ended
    building_ = true;
    thread_ = std::thread([this] { build(); });
  }
  return nullptr;
}

void FacetIndexCache::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return !building_; });
}

void FacetIndexCache::build() {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<const FacetIndex> built;
  try {
    FacetIndex::Builder builder;
    const std::int64_t version = scan_(builder);
    if (auto index = std::move(builder).finish(version)) built = std::make_shared<const FacetIndex>(std::move(*index));
  } catch (...) {
    // The store could not be read now (busy, closing): searches go on counting in SQL.
  }
  const auto end = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (built) index_ = std::move(built);
  building_ = false;
  // The next build no sooner than four times this one's duration (a second at least
  // after a failure).
  next_build_ = end + std::max<std::chrono::steady_clock::duration>(4 * (end - start),
                                                                     built ? std::chrono::seconds(0) : std::chrono::seconds(1));
  idle_.notify_all();
}

}  // namespace amis::store
