#pragma once
// Conditional GETs (RFC 9110 13): every whole 200 answer to a GET carries an
// ETag (the handler's own, or a weak one made from the body), and a request whose
// If-None-Match names it is answered 304 without the body. Capabilities,
// collection documents, styles, queryables and tiles are revalidated for a few
// bytes instead of sent again.
#include <string>
#include <string_view>

namespace amis::http {

// W/"…": a digest of the body (BLAKE2b, 128 bits). Weak: the same for every
// content coding of the body.
std::string weak_etag(std::string_view body);

// True when If-None-Match (a list of entity tags, or "*") names `etag`, compared
// weakly (RFC 9110 8.8.3.2): W/ prefixes are ignored.
bool none_match_names(std::string_view if_none_match, std::string_view etag);

}  // namespace amis::http
