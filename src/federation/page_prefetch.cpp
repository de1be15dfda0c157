#include "federation/page_prefetch.hpp"

#include <exception>
#include <memory>

namespace amis::federation {
namespace {

constexpr std::size_t kPagesAhead = 1;

// The item's record read now; its read() gives it, or throws what reading threw.
void read_ahead(SourceItem& item) {
  try {
    auto record = std::make_shared<catalog::Record>(item.read());
    item.read = [record] { return std::move(*record); };
  } catch (...) {
    item.read = [failure = std::current_exception()]() -> catalog::Record { std::rethrow_exception(failure); };
  }
}

}  // namespace

PagePrefetch::PagePrefetch(HarvestSource& source, Wanted wanted)
    : source_(source), wanted_(std::move(wanted)), thread_([this] { fetch_all(); }) {}

PagePrefetch::~PagePrefetch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void PagePrefetch::fetch_all() {
  bool any_page = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    PrefetchedPage got;
    try {
      got.page = source_.next_page();
    } catch (const std::exception& e) {
      got.error = e.what();
      got.resumable = source_.resumable();
    } catch (...) {
      got.error = "the source failed";
      got.resumable = source_.resumable();
    }
    // The harvest stops at the end, at a first page that fails (the node is down),
    // and at a failure the listing cannot go on from.
    const bool last = got.error ? !any_page || !got.resumable : !got.page;
    if (got.page) {
      any_page = true;
      if (wanted_)
        for (auto& item : got.page->items)
          if (item.read && wanted_(item)) read_ahead(item);
    }
    if (!push(std::move(got)) || last) return;
  }
}

bool PagePrefetch::push(PrefetchedPage page) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return stopping_ || ready_.size() < kPagesAhead; });
  if (stopping_) return false;
  ready_.push_back(std::move(page));
  changed_.notify_all();
  return true;
}

PrefetchedPage PagePrefetch::next() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !ready_.empty(); });
  blocked_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrefetchedPage page = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  return page;
}

}  // namespace amis::federation
