#pragma once
// A parsed HTTP request as the API layer sees it: path, decoded query parameters,
// a few headers. Past this point there are no raw targets to re-parse.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amis::http {

struct Request {
  std::string method;  // "GET", "HEAD", "POST", "OPTIONS", ...
  std::string path;    // percent-decoded, without the query string
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string, std::less<>> headers;  // lower-case names
  std::map<std::string, std::string, std::less<>> path_params;  // filled by the router
  // The pattern of the route the router matched ("/collections/{collectionId}/items"),
  // empty when none did; it points into the router, which outlives every request.
  std::string_view route;
  std::string body;
  std::string remote_address;  // the peer's IP address, as text
  // The client reached a trusted proxy over https (X-Forwarded-Proto from one of
  // [server] trusted_proxies): links say https and cookies are Secure.
  bool forwarded_https = false;
  // The signed-in caller's member state (ISO alpha-3), set by the composition
  // root's middleware for the usage statistics; empty when anonymous or none.
  std::string member_state;

  // The first value of a query parameter.
  std::optional<std::string_view> param(std::string_view name) const {
    for (const auto& [k, v] : query)
      if (k == name) return v;
    return std::nullopt;
  }
  std::string_view header(std::string_view lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  }
  const std::string& path_param(std::string_view name) const { return path_params.find(name)->second; }
};

// The value of a cookie of the Cookie header (RFC 6265 5.4), or nullopt.
std::optional<std::string> cookie(const Request& request, std::string_view name);

// The caching headers of a response that anyone may reuse for 60 s, unless the
// request carried credentials (a bearer token or a cookie): what such a caller
// sees may hold restricted data, which a shared cache must not keep.
std::vector<std::pair<std::string, std::string>> cache_headers(const Request& request);

// The first value of a query parameter whose name matches `name` in any case,
// as the OGC KVP encodings (WMS, WMTS, WFS) want.
std::optional<std::string> param_ignoring_case(const Request& request, std::string_view name);

// The address documents link to: `configured` (the service's base_url setting,
// for a server behind a proxy) or else the request's scheme (https when a trusted
// proxy says so) and its Host header (checked by the server: a name or address).
std::string base_url(const Request& request, const std::string& configured);

// `text` without the spaces and tabs around it (RFC 9110 5.6.3, optional whitespace in
// header values).
std::string_view trim_whitespace(std::string_view text);

// Percent-decoding; '+' becomes a space when `plus_is_space` (query strings).
// Returns nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Percent-encoding of a query-parameter value or path segment (RFC 3986 unreserved kept).
std::string percent_encode(std::string_view text);

// Splits "a=1&b=2" into decoded pairs. Returns nullopt for a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace amis::http
