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
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "coverage/coverage_info.hpp"

namespace amis::coverage {

class OpenGrids {
 public:
  // At most `max_idle` datasets stay open while nobody uses them. With
  // `max_per_file` > 0, at most that many datasets of one file are open at once and
  // a further request waits for one to come back: GDAL's block cache is each
  // dataset's, so a grid read through eight datasets decodes each tile up to eight
  // times (a COG window's time is mostly decoding), where two datasets share them
  // between fewer copies. A lease must not be asked for while the same thread holds
  // one of the same file.
  explicit OpenGrids(std::size_t max_idle = 16, std::size_t max_per_file = 0)
      : max_idle_(max_idle), max_per_file_(max_per_file) {}
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
    // The file as it is now (path, size, time): another when it is replaced.
    const std::string& key() const { return key_; }

   private:
    OpenGrids* owner_;
    std::string key_;
    GDALDatasetH dataset_;
    std::shared_ptr<const CoverageInfo> info_;
  };

  // A dataset of the file, open already or opened now, with its description.
  // @throws core::ServerError when it cannot be read as a coverage;
  // core::DeadlineExceeded or core::ClientDisconnected while waiting for one.
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

  void closed(const std::string& key);  // under the mutex

  const std::size_t max_idle_;
  const std::size_t max_per_file_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::map<std::string, std::size_t> open_;  // datasets open per key, leased or idle
  std::vector<Idle> idle_;  // most recently returned last
  std::int64_t opened_ = 0;
};

// Datasets of one grid open at once for its windows: one per processor (at least
// two), since decoding is CPU work.
std::size_t datasets_per_grid();

}  // namespace amis::coverage
