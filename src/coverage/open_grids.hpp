#pragma once
// Coverage files kept open between requests. WMS GetFeatureInfo reads one cell
// per request: opening the COG and reading its header and CRS each time cost far
// more than the read itself. A GDAL dataset serves one thread at a time, so a
// dataset is lent to one request and comes back to the idle list when its lease
// ends; requests at the same time on one file open more. Files are known by path,
// size and modification time: a file rewritten in place is opened afresh (a
// replaced grid has a new path anyway).
#include <gdal.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "coverage/coverage_info.hpp"

namespace amis::coverage {

class OpenGrids {
 public:
  // At most `max_idle` datasets stay open while nobody uses them.
  explicit OpenGrids(std::size_t max_idle = 16) : max_idle_(max_idle) {}
  ~OpenGrids();
  OpenGrids(const OpenGrids&) = delete;
  OpenGrids& operator=(const OpenGrids&) = delete;

  class Lease {
   public:
    Lease(OpenGrids& owner, std::string key, GDALDatasetH dataset, std::shared_ptr<const CoverageInfo> info)
        : owner_(&owner), key_(std::move(key)), dataset_(dataset), info_(std::move(info)) {}
    Lease(Lease&& other) noexcept
        : owner_(other.owner_), key_(std::move(other.key_)), dataset_(other.dataset_), info_(std::move(other.info_)) {
      other.dataset_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    GDALDatasetH dataset() const { return dataset_; }
    const CoverageInfo& info() const { return *info_; }

   private:
    OpenGrids* owner_;
    std::string key_;
    GDALDatasetH dataset_;
    std::shared_ptr<const CoverageInfo> info_;
  };

  // A dataset of the file, open already or opened now, with its description.
  // @throws core::ServerError when it cannot be read as a coverage.
  Lease lease(const std::string& path);

  // How many times a file was opened so far (what the pool saves, for tests).
  std::int64_t opened() const;

 private:
  struct Idle {
    std::string key;
    GDALDatasetH dataset;
    std::shared_ptr<const CoverageInfo> info;
  };
  void give_back(std::string key, GDALDatasetH dataset, std::shared_ptr<const CoverageInfo> info);

  const std::size_t max_idle_;
  mutable std::mutex mutex_;
  std::vector<Idle> idle_;  // most recently returned last
  std::int64_t opened_ = 0;
};

}  // namespace amis::coverage
