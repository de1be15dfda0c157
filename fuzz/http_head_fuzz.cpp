// Bytes from the network, through what the server does before a handler runs:
// Beast's request parser (head, then body, with the server's limits), the checks
// of framing and Host (http/request_head), and the target's percent-decoding.
// Nothing may crash; refusals are fine.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>

#include "http/request.hpp"
#include "http/request_head.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace beast_http = boost::beast::http;
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::system::error_code ec;
  const auto used = parser.put(boost::asio::buffer(data, size), ec);
  if (ec && ec != beast_http::error::need_more) return 0;
  if (!parser.is_header_done()) return 0;
  const auto& message = parser.get();
  (void)amis::http::request_head_problem(message.version(), message.base());
  const std::string_view target = message.target();
  const auto question = target.find('?');
  (void)amis::http::percent_decode(target.substr(0, question), false);
  if (question != std::string_view::npos) (void)amis::http::parse_query(target.substr(question + 1));
  (void)used;
  return 0;
}
