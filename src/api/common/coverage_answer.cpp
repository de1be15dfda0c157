#include "api/common/coverage_answer.hpp"

#include <string>

namespace amis::api {
namespace {

// Below this an answer goes whole (Content-Length, ETag, 304); above it a copy
// would double what the answer holds.
constexpr std::size_t kWholeBelow = std::size_t{1} << 20;
constexpr std::size_t kChunk = std::size_t{1} << 20;

}  // namespace

void send_coverage(http::Response& response, const coverage::EncodedCoverage& encoded,
                   std::string_view content_type, const http::Headers& headers) {
  if (encoded.write) {
    if (encoded.streamed_size < kWholeBelow) {
      std::string body;
      core::StringSink sink(body);
      encoded.write(sink);
      return response.send(200, content_type, std::move(body), headers);
    }
    return encoded.write(response.stream(200, content_type, headers));
  }
  const std::string_view bytes = encoded.bytes();
  if (bytes.size() < kWholeBelow) return response.send(200, content_type, std::string(bytes), headers);
  auto& sink = response.stream(200, content_type, headers);
  for (std::size_t at = 0; at < bytes.size(); at += kChunk) sink.write(bytes.substr(at, kChunk));
}

}  // namespace amis::api
