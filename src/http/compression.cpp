#include "http/compression.hpp"

#include <zlib.h>

#include <cctype>
#include <stdexcept>

#include "http/request.hpp"

namespace amis::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The q-value of one Accept-Encoding element ("gzip;q=0.5" → 0.5); 1 without one, 0 when malformed.
double quality(std::string_view parameters) {
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    auto parameter = trim_whitespace(parameters.substr(0, semicolon));
    if (parameter.size() > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
      try {
        return std::stod(std::string(parameter.substr(2)));
      } catch (const std::exception&) {
        return 0;
      }
    }
    if (semicolon == std::string_view::npos) break;
    parameters.remove_prefix(semicolon + 1);
  }
  return 1;
}

}  // namespace

ContentCoding negotiate_coding(std::string_view accept_encoding) {
  double gzip = -1, deflate = -1, any = -1;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto element = trim_whitespace(accept_encoding.substr(0, comma));
    const auto semicolon = element.find(';');
    const auto name = lower(trim_whitespace(element.substr(0, semicolon)));
    const double q = semicolon == std::string_view::npos ? 1 : quality(element.substr(semicolon + 1));
    if (name == "gzip" || name == "x-gzip") gzip = q;
    else if (name == "deflate") deflate = q;
    else if (name == "*") any = q;
    if (comma == std::string_view::npos) break;
    accept_encoding.remove_prefix(comma + 1);
  }
  if (gzip < 0) gzip = any;
  if (deflate < 0) deflate = any;
  if (gzip > 0 && gzip >= deflate) return ContentCoding::gzip;
  if (deflate > 0) return ContentCoding::deflate;
  return ContentCoding::identity;
}

std::string_view coding_name(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::gzip: return "gzip";
    case ContentCoding::deflate: return "deflate";
    case ContentCoding::identity: break;
  }
  return "";
}

bool compressible(std::string_view content_type) {
  const auto type = lower(trim_whitespace(content_type.substr(0, content_type.find(';'))));
  if (type.rfind("text/", 0) == 0) return true;
  if (type.size() > 5 && (type.ends_with("+json") || type.ends_with("+xml"))) return true;
  for (const char* t : {"application/json", "application/xml", "application/javascript", "application/x-protobuf",
                        "application/vnd.mapbox-vector-tile", "application/schema+json", "image/svg+xml"})
    if (type == t) return true;
  return false;
}

struct Compressor::Stream {
  z_stream z{};
};

Compressor::Compressor(ContentCoding coding) : stream_(std::make_unique<Stream>()) {
  // Level 1: most of the size gain for a fraction of the CPU (the answers are large and streamed).
  const int window_bits = coding == ContentCoding::gzip ? 15 + 16 : 15;
  if (deflateInit2(&stream_->z, 1, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
}

Compressor::~Compressor() { deflateEnd(&stream_->z); }

std::string Compressor::compress(std::string_view input, bool finish) {
  auto& z = stream_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  std::string out;
  char buffer[32 * 1024];
  int result;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    result = deflate(&z, finish ? Z_FINISH : Z_NO_FLUSH);
    if (result == Z_STREAM_ERROR) throw std::runtime_error("zlib: deflate failed");
    out.append(buffer, sizeof buffer - z.avail_out);
  } while (z.avail_out == 0 || (finish && result != Z_STREAM_END));
  return out;
}

}  // namespace amis::http
