#include "monitor/client_address.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace amis::monitor {
namespace {

std::string canonical(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return {};
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  return address.to_string();
}

bool trusted(const std::vector<std::string>& proxies, const std::string& address) {
  return std::find(proxies.begin(), proxies.end(), address) != proxies.end();
}

}  // namespace

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  std::string client = canonical(peer);
  if (!trusted(trusted_proxies, client) || forwarded_for.empty()) return client;
  std::size_t end = forwarded_for.size();
  while (true) {
    const auto comma = forwarded_for.rfind(',', end == 0 ? 0 : end - 1);
    const auto start = comma == std::string_view::npos ? 0 : comma + 1;
    if (end == 0 || start > end) return client;
    client = canonical(forwarded_for.substr(start, end - start));
    if (client.empty() || !trusted(trusted_proxies, client) || comma == std::string_view::npos) return client;
    end = comma;
  }
}

}  // namespace amis::monitor
