#include "http/conditional.hpp"

#include <sodium.h>

#include "http/request.hpp"

namespace amis::http {
namespace {

std::string_view opaque(std::string_view tag) {
  tag = trim_whitespace(tag);
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string weak_etag(std::string_view body) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr,
                     0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "W/\"";
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  out += '"';
  return out;
}

bool none_match_names(std::string_view if_none_match, std::string_view etag) {
  const auto wanted = opaque(etag);
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    const auto tag = opaque(if_none_match.substr(0, comma));
    if (tag == "*" || (!tag.empty() && tag == wanted)) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace amis::http
