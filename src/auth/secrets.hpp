#pragma once
// Passwords and API tokens, with libsodium: passwords as argon2id hashes (the
// encoded string carries its salt and cost), tokens as 256 random bits shown
// once and stored as their SHA-256 (a token is too random to need a slow hash).
#include <optional>
#include <string>
#include <string_view>

namespace amis::auth {

// Initialises libsodium; call before any of the below (idempotent).
void init_secrets();

// @throws std::runtime_error when the system cannot hash (out of memory).
std::string hash_password(std::string_view password);
bool verify_password(std::string_view encoded_hash, std::string_view password);

// At least 10 characters (NIST SP 800-63B asks 8; AMIS guards public data).
bool acceptable_password(std::string_view password);

// A new token: "amis_" and 43 base64url characters.
std::string new_token();
// The hex SHA-256 of a token, as stored.
std::string token_digest(std::string_view token);

// Standard base64 (RFC 4648 section 4, padded) decoded, or nullopt when it is not.
std::optional<std::string> decode_base64(std::string_view text);

// Compares in a time that does not depend on where the strings differ.
bool same_secret(std::string_view given, std::string_view secret);

}  // namespace amis::auth
