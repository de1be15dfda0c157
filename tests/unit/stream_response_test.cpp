// A whole response as the connection receives it: its head and its body, in order,
// whether the body goes out with the head (small) or after it (large), and none
// for HEAD. The bytes are read back with Beast's own parser.
#include "http/stream_response.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <string>
#include <vector>

namespace {

namespace beast_http = boost::beast::http;

struct Collected final : amis::http::ResponseWriter {
  std::vector<std::string> writes;
  bool write(std::string bytes) override {
    writes.push_back(std::move(bytes));
    return true;
  }
  std::string all() const {
    std::string out;
    for (const auto& w : writes) out += w;
    return out;
  }
};

beast_http::response<beast_http::string_body> parse(const std::string& bytes, bool head_only = false) {
  beast_http::response_parser<beast_http::string_body> parser;
  parser.skip(head_only);
  parser.body_limit(64u << 20);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_done() && !ec && used < bytes.size())  // the head first, then the body
    used += parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(used, bytes.size());
  EXPECT_TRUE(parser.is_done());
  return parser.release();
}

amis::http::Exchange plain_get() {
  amis::http::Exchange e;
  e.conditional = true;
  return e;
}

std::string body_of(std::size_t n) {
  std::string body(n, '\0');
  for (std::size_t i = 0; i < n; ++i) body[i] = static_cast<char>(i * 131 % 251);
  return body;
}

TEST(StreamResponse, SendsASmallBodyWithItsHeadInOneWrite) {
  Collected out;
  amis::http::StreamResponse response(out, plain_get());
  const std::string body = body_of(1000);
  response.send(200, "application/vnd.mapbox-vector-tile", body);
  ASSERT_EQ(out.writes.size(), 1u);
  const auto message = parse(out.all());
  EXPECT_EQ(message.result_int(), 200);
  EXPECT_TRUE(message.body() == body);  // not printed: megabytes
  EXPECT_EQ(response.bytes_sent(), body.size());
}

TEST(StreamResponse, SendsALargeBodyAfterItsHeadUncopied) {
  Collected out;
  amis::http::StreamResponse response(out, plain_get());
  const std::string body = body_of(3u << 20);
  response.send(200, "application/vnd.mapbox-vector-tile", body);
  ASSERT_EQ(out.writes.size(), 2u);
  EXPECT_TRUE(out.writes[1] == body);
  const auto message = parse(out.all());
  EXPECT_EQ(message[beast_http::field::content_length], std::to_string(body.size()));
  EXPECT_TRUE(message.body() == body);  // not printed: megabytes
  EXPECT_EQ(response.bytes_sent(), body.size());
}

TEST(StreamResponse, AnswersHeadWithTheHeadersOfTheLargeBodyAlone) {
  Collected out;
  amis::http::Exchange head = plain_get();
  head.head_only = true;
  amis::http::StreamResponse response(out, head);
  const std::string body = body_of(3u << 20);
  response.send(200, "application/vnd.mapbox-vector-tile", body);
  ASSERT_EQ(out.writes.size(), 1u);
  const auto message = parse(out.all(), true);
  EXPECT_EQ(message[beast_http::field::content_length], std::to_string(body.size()));
  EXPECT_TRUE(message.body().empty());
}

}  // namespace

// A streamed answer whose ETag is known before its body (a page of records): a request
// naming it gets 304 with the ETag and no body; any other goes on to the stream.
TEST(StreamResponse, AnswersNotModifiedBeforeAStreamWhoseEtagTheRequestNames) {
  Collected out;
  auto exchange = plain_get();
  exchange.if_none_match = R"(W/"other", W/"page-7")";
  amis::http::StreamResponse response(out, exchange);
  EXPECT_TRUE(response.not_modified("application/geo+json", {{"ETag", R"(W/"page-7")"}}));
  EXPECT_TRUE(response.started());
  const auto message = parse(out.all(), true);
  EXPECT_EQ(message.result_int(), 304);
  EXPECT_EQ(message[beast_http::field::etag], R"(W/"page-7")");
  EXPECT_TRUE(message[beast_http::field::content_type].empty());
}

TEST(StreamResponse, StreamsWhenTheRequestNamesAnotherEtagOrIsNoGet) {
  for (const bool get : {true, false}) {
    Collected out;
    auto exchange = plain_get();
    exchange.conditional = get;
    exchange.if_none_match = get ? R"(W/"page-6")" : R"(W/"page-7")";
    amis::http::StreamResponse response(out, exchange);
    EXPECT_FALSE(response.not_modified("application/geo+json", {{"ETag", R"(W/"page-7")"}}));
    EXPECT_FALSE(response.started());
    EXPECT_TRUE(out.writes.empty());
    response.stream(200, "application/geo+json", {{"ETag", R"(W/"page-7")"}}).write("{}");
    response.finish();
    const auto message = parse(out.all());
    EXPECT_EQ(message.result_int(), 200);
    EXPECT_EQ(message.body(), "{}");
  }
}

// "*" names any current answer; before its stream the handler does not know it will be a
// 200 (a refused request must get its error, RFC 9110 13.2.1): no 304 then.
TEST(StreamResponse, TakesNoWildcardBeforeAStream) {
  Collected out;
  auto exchange = plain_get();
  exchange.if_none_match = " *";
  amis::http::StreamResponse response(out, exchange);
  EXPECT_FALSE(response.not_modified("application/geo+json", {{"ETag", R"(W/"page-7")"}}));
  EXPECT_TRUE(out.writes.empty());
}
