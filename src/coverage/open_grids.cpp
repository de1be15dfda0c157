#include "coverage/open_grids.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::coverage {
namespace {

std::string key_of(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw core::ServerError("cannot open the coverage file " + path);
  const auto written = std::filesystem::last_write_time(path, error);
  if (error) throw core::ServerError("cannot open the coverage file " + path);
  return path + '\n' + std::to_string(size) + '\n' + std::to_string(written.time_since_epoch().count());
}

}  // namespace

void OpenGrids::closed(const std::string& key) {
  if (auto it = open_.find(key); it != open_.end() && --it->second == 0) open_.erase(it);
  returned_.notify_all();
}

OpenGrids::~OpenGrids() {
  for (auto& i : idle_) GDALClose(i.dataset);
}

OpenGrids::Lease::~Lease() {
  if (dataset_) owner_->give_back(std::move(key_), dataset_, std::move(info_));
}

OpenGrids::Lease OpenGrids::lease(const std::string& path) {
  std::string key = key_of(path);
  {
    std::unique_lock lock(mutex_);
    for (;;) {
      for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
        if (it->key != key) continue;
        Idle found = std::move(*it);
        idle_.erase(std::next(it).base());
        return Lease(*this, std::move(found.key), found.dataset, std::move(found.info));
      }
      if (max_per_file_ == 0 || open_[key] < max_per_file_) break;
      lock.unlock();
      core::RequestBudget::check();
      lock.lock();
      returned_.wait_for(lock, std::chrono::milliseconds(50));
    }
    ++open_[key];
    ++opened_;
  }
  GDALDatasetH dataset = GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  try {
    if (!dataset) throw core::ServerError("cannot open the coverage file " + path);
    auto info = std::make_shared<const CoverageInfo>(coverage_info_of(dataset, path));
    return Lease(*this, std::move(key), dataset, std::move(info));
  } catch (...) {
    if (dataset) GDALClose(dataset);
    std::lock_guard lock(mutex_);
    closed(key);
    throw;
  }
}

void OpenGrids::give_back(std::string key, GDALDatasetH dataset, std::shared_ptr<const CoverageInfo> info) {
  GDALDatasetH evicted = nullptr;
  {
    std::lock_guard lock(mutex_);
    // A file known by another size or time under the same path was replaced: its
    // idle datasets are of no use any more.
    const auto path = key.substr(0, key.find('\n'));
    std::vector<GDALDatasetH> stale;
    std::erase_if(idle_, [&](const Idle& i) {
      const bool old = i.key != key && i.key.compare(0, path.size() + 1, path + '\n') == 0;
      if (old) {
        stale.push_back(i.dataset);
        closed(i.key);
      }
      return old;
    });
    for (auto* d : stale) GDALClose(d);
    idle_.push_back({std::move(key), dataset, std::move(info)});
    if (idle_.size() > max_idle_) {
      evicted = idle_.front().dataset;
      closed(idle_.front().key);
      idle_.erase(idle_.begin());
    }
    returned_.notify_all();
  }
  if (evicted) GDALClose(evicted);
}

std::int64_t OpenGrids::opened() const {
  std::lock_guard lock(mutex_);
  return opened_;
}

std::size_t datasets_per_grid() { return std::max<std::size_t>(2, std::thread::hardware_concurrency()); }

}  // namespace amis::coverage
