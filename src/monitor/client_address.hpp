#pragma once
// Who sent a request, for the country and visitor statistics only (never kept):
// the connection's peer, unless the peer is one of [server] trusted_proxies, in
// which case X-Forwarded-For is believed, read from the right: the first address
// that is not itself a trusted proxy is the client's. Anyone else's
// X-Forwarded-For is ignored, so a client cannot choose its country.
#include <string>
#include <string_view>
#include <vector>

namespace amis::monitor {

// The client's address in canonical text, or "" when a trusted proxy forwarded
// something that is not an address.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace amis::monitor
