#pragma once
// How many connections the server holds, in all and per client address, so that
// one address (a slowloris, a scraper) cannot take every slot. Addresses of
// trusted proxies carry many users and are only held to the total.
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace amis::http {

// True when `address` is one of the trusted proxies ([server] trusted_proxies).
bool is_trusted_proxy(const std::vector<std::string>& trusted_proxies, std::string_view address);

class ConnectionLimits {
 public:
  ConnectionLimits(std::size_t max_total, std::size_t max_per_address, std::vector<std::string> trusted_proxies);

  // A held connection; gives its place back when destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(ConnectionLimits* owner, std::string address) : owner_(owner), address_(std::move(address)) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_), address_(std::move(other.address_)) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (owner_) owner_->release(address_);
    }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    ConnectionLimits* owner_ = nullptr;
    std::string address_;
  };

  // A slot for a new connection from `address`, or an empty one when a limit is reached.
  Slot try_acquire(const std::string& address);
  std::size_t total() const;

 private:
  void release(const std::string& address);

  const std::size_t max_total_;
  const std::size_t max_per_address_;
  const std::vector<std::string> trusted_proxies_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace amis::http
