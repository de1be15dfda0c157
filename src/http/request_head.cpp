#include "http/request_head.hpp"

#include <boost/beast/core/string.hpp>
#include <cctype>
#include <vector>

#include "http/request.hpp"

namespace amis::http {
namespace beast_http = boost::beast::http;
namespace {

// The transfer codings of every Transfer-Encoding line, in order.
std::vector<std::string_view> transfer_codings(const beast_http::fields& fields) {
  std::vector<std::string_view> codings;
  for (auto it = fields.find(beast_http::field::transfer_encoding);
       it != fields.end() && it->name() == beast_http::field::transfer_encoding; ++it) {
    std::string_view value = it->value();
    while (true) {
      const auto comma = value.find(',');
      codings.push_back(trim_whitespace(value.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return codings;
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  for (char c : port)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  if (host.front() == '[') {  // IPv6 literal
    const auto close = host.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : host.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    const auto rest = host.substr(close + 1);
    return rest.empty() || (rest.front() == ':' && valid_port(rest.substr(1)));
  }
  const auto colon = host.find(':');
  const auto name = host.substr(0, colon);
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') return false;
  return colon == std::string_view::npos || valid_port(host.substr(colon + 1));
}

std::optional<std::string> request_head_problem(unsigned version, const beast_http::fields& fields) {
  const auto hosts = fields.count(beast_http::field::host);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && version >= 11) return "an HTTP/1.1 request needs a Host header";
  if (hosts == 1 && !valid_host(fields[beast_http::field::host]))
    return "the Host header is not a host name, an IP address or one of these with a port";
  const auto codings = transfer_codings(fields);
  if (!codings.empty()) {
    if (version < 11) return "Transfer-Encoding in an HTTP/1.0 request";
    if (codings.size() != 1 || !boost::beast::iequals(codings.front(), "chunked"))
      return "the only Transfer-Encoding accepted is 'chunked'";
    if (fields.count(beast_http::field::content_length) > 0)
      return "both Transfer-Encoding and Content-Length";
  }
  return std::nullopt;
}

}  // namespace amis::http
