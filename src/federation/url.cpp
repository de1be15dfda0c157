#include "federation/url.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace amis::federation {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw core::InvalidValue("url", why); }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == ':' || c == '_';
  });
}

}  // namespace

std::string NodeUrl::origin() const {
  const bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + shown_host + (default_port ? "" : ":" + port);
}

NodeUrl parse_node_url(std::string_view text) {
  if (text.size() > 2000) refuse("a node URL has at most 2,000 characters");
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c <= 0x20 || c >= 0x7f; }))
    refuse("a URL has no spaces or control characters");
  NodeUrl url;
  const auto colon = text.find("://");
  if (colon == std::string_view::npos) refuse("the URL must be absolute: http://host/... or https://host/...");
  url.scheme = lower(text.substr(0, colon));
  if (url.scheme != "http" && url.scheme != "https") refuse("only http and https URLs are harvested");
  std::string_view rest = text.substr(colon + 3);
  if (rest.find('#') != std::string_view::npos) refuse("a node URL has no fragment");
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) refuse("a node URL carries no user or password (use --token)");
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) refuse("an IPv6 host is written [address]");
    url.host = lower(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') refuse("a port follows the host after ':'");
      port = authority.substr(close + 2);
    }
  } else {
    const auto p = authority.rfind(':');
    url.host = lower(authority.substr(0, p));
    if (p != std::string_view::npos) port = authority.substr(p + 1);
    if (url.host.find(':') != std::string::npos) refuse("an IPv6 host is written [address]");
  }
  if (!valid_host(url.host)) refuse("the URL has no valid host");
  if (port.empty()) {
    url.port = url.scheme == "https" ? "443" : "80";
  } else {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }) ||
        std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535)
      refuse("the port must be a number from 1 to 65535");
    url.port = std::string(port);
  }
  return url;
}

NodeUrl resolve(const NodeUrl& base, std::string_view href) {
  if (href.find("://") != std::string_view::npos) return parse_node_url(href);
  if (href.starts_with("//")) return parse_node_url(base.scheme + ":" + std::string(href));
  NodeUrl out = base;
  if (href.empty()) return out;
  if (href.front() == '/') {
    out.target = std::string(href);
  } else if (href.front() == '?') {
    out.target = base.path() + std::string(href);
  } else {
    const std::string path = base.path();
    out.target = path.substr(0, path.rfind('/') + 1) + std::string(href);
  }
  return parse_node_url(out.origin() + out.target);  // checks the characters once more
}

NodeUrl with_path(const NodeUrl& base, std::string_view path, std::string_view query) {
  NodeUrl out = base;
  std::string p = base.path();
  while (!p.empty() && p.back() == '/') p.pop_back();
  out.target = p + std::string(path);
  if (out.target.empty()) out.target = "/";
  if (!query.empty()) out.target += "?" + std::string(query);
  return out;
}

}  // namespace amis::federation
