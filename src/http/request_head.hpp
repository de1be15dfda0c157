#pragma once
// Checks of a request head that Beast leaves to the server (RFC 9112, RFC 9110):
// message framing that a proxy in front and AMIS could read differently (request
// smuggling), and the Host header that every link AMIS writes is built from.
#include <boost/beast/http/fields.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace amis::http {

// Why the head must be refused with 400 and the connection closed, or nullopt.
// `version` is 10 or 11 (HTTP/1.0, HTTP/1.1).
std::optional<std::string> request_head_problem(unsigned version, const boost::beast::http::fields& fields);

// A Host value AMIS may write into links: a DNS name, an IPv4 address or a
// bracketed IPv6 address, with an optional port; nothing that could close a quote.
bool valid_host(std::string_view host);

}  // namespace amis::http
