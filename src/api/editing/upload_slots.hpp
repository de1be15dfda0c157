#pragma once
// How many dataset uploads are read at the same time ([editing]
// concurrent_uploads): each holds its file, GDAL's reading of it and the
// features it plans in memory, so a few at once is what the server takes.
#include <atomic>

#include "core/error.hpp"

namespace amis::api::editing {

class UploadSlots {
 public:
  static constexpr int kRetryAfterSeconds = 10;

  // A slot held until destroyed.
  class Slot {
   public:
    explicit Slot(std::atomic<int>& in_use) : in_use_(&in_use) {}
    ~Slot() {
      if (in_use_) in_use_->fetch_sub(1);
    }
    Slot(Slot&& other) noexcept : in_use_(other.in_use_) { other.in_use_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;

   private:
    std::atomic<int>* in_use_;
  };

  // @throws core::ServiceBusy (503, Retry-After) when `limit` uploads are being read.
  Slot take(int limit) {
    if (in_use_.fetch_add(1) >= limit) {
      in_use_.fetch_sub(1);
      throw core::ServiceBusy("the server is reading " + std::to_string(limit) +
                                  " uploads already; send this one again in a moment",
                              kRetryAfterSeconds);
    }
    return Slot(in_use_);
  }

 private:
  std::atomic<int> in_use_{0};
};

}  // namespace amis::api::editing
