#include "auth/secrets.hpp"

#include <sodium.h>

#include <stdexcept>

namespace amis::auth {

void init_secrets() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string hash_password(std::string_view password) {
  init_secrets();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("the password cannot be hashed (out of memory)");
  return out;
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  init_secrets();
  const std::string hash(encoded_hash);  // NUL-terminated
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool acceptable_password(std::string_view password) {
  std::size_t characters = 0;  // UTF-8 code points: every byte but continuation bytes
  for (unsigned char c : password) characters += (c & 0xC0) != 0x80;
  return characters >= 10 && characters <= 1024;
}

std::string new_token() {
  init_secrets();
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, random, sizeof random, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string("amis_") + text;
}

std::string token_digest(std::string_view token) {
  init_secrets();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::optional<std::string> decode_base64(std::string_view text) {
  init_secrets();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(length);
  return out;
}

bool same_secret(std::string_view given, std::string_view secret) {
  if (secret.empty() || given.size() != secret.size()) return false;
  return sodium_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

}  // namespace amis::auth
