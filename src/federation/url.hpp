#pragma once
// The URLs the harvester follows: absolute http(s) URLs split into their parts,
// hrefs resolved against the page they were found in, and the one rule against
// server-side request forgery: every fetch of a run goes to the node's own
// scheme, host and port.
#include <string>
#include <string_view>

namespace amis::federation {

struct NodeUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 literal without its brackets
  std::string port;    // "80"/"443" when not given
  std::string target;  // path and query, at least "/"

  std::string origin() const;  // scheme://host[:port]
  std::string text() const { return origin() + target; }
  bool same_origin(const NodeUrl& other) const {
    return scheme == other.scheme && host == other.host && port == other.port;
  }
  // The path without its query.
  std::string path() const { return target.substr(0, target.find('?')); }
};

// @throws core::InvalidValue("url", ...) for anything but http(s)://host[:port][/path][?query]
// of at most 2,000 characters, without user:password@ and without a fragment.
NodeUrl parse_node_url(std::string_view text);

// An href of a document fetched from `base` made absolute (a path, "//host/...",
// or an absolute URL). @throws core::InvalidValue for an href no URL can be made of.
NodeUrl resolve(const NodeUrl& base, std::string_view href);

// `base` with `path` appended to its path ("/collections" on ".../ogcapi" gives
// ".../ogcapi/collections") and `query` as its query (without '?'; empty: none).
NodeUrl with_path(const NodeUrl& base, std::string_view path, std::string_view query = {});

}  // namespace amis::federation
