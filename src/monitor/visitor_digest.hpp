#pragma once
// Unique visitors without keeping anyone's address: a visitor is the keyed hash
// (SipHash-2-4, libsodium's crypto_shorthash) of the client's address and
// User-Agent under a salt drawn at random for each UTC day. The salt lives in
// this object only, is never written anywhere, and is replaced when the day
// changes: a digest cannot be recomputed from an address afterwards, nor linked
// to the same visitor's digest of another day.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace amis::monitor {

class VisitorDigest {
 public:
  // The digest of a visitor on `day` ("2026-12-05"); a new day draws a new salt.
  std::uint64_t digest(const std::string& day, std::string_view address, std::string_view user_agent);

 private:
  std::string day_;
  std::array<unsigned char, 16> salt_{};
};

}  // namespace amis::monitor
