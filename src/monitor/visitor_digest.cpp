#include "monitor/visitor_digest.hpp"

#include <sodium.h>

#include <cstring>

namespace amis::monitor {

std::uint64_t VisitorDigest::digest(const std::string& day, std::string_view address, std::string_view user_agent) {
  static_assert(crypto_shorthash_KEYBYTES == 16 && crypto_shorthash_BYTES == 8);
  if (day != day_) {
    randombytes_buf(salt_.data(), salt_.size());
    day_ = day;
  }
  std::string input;
  input.reserve(address.size() + 1 + user_agent.size());
  input.append(address).append(1, '\n').append(user_agent);
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(input.data()), input.size(), salt_.data());
  sodium_memzero(input.data(), input.size());
  std::uint64_t value = 0;
  std::memcpy(&value, out, sizeof value);
  return value;
}

}  // namespace amis::monitor
