#include "http/connection_limits.hpp"

#include <algorithm>

namespace amis::http {

ConnectionLimits::ConnectionLimits(std::size_t max_total, std::size_t max_per_address,
                                   std::vector<std::string> trusted_proxies)
    : max_total_(max_total), max_per_address_(max_per_address), trusted_proxies_(std::move(trusted_proxies)) {}

bool is_trusted_proxy(const std::vector<std::string>& trusted_proxies, std::string_view address) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
}

ConnectionLimits::Slot ConnectionLimits::try_acquire(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) return {};
  if (!is_trusted_proxy(trusted_proxies_, address)) {
    auto& count = per_address_[address];
    if (count >= max_per_address_) return {};
    ++count;
  }
  ++total_;
  return Slot(this, address);
}

void ConnectionLimits::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  --total_;
  if (auto it = per_address_.find(address); it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

std::size_t ConnectionLimits::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

}  // namespace amis::http
