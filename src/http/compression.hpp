#pragma once
// Content codings of responses (RFC 9110 8.4): gzip or deflate for textual
// answers — JSON, GeoJSON, GML and other XML, HTML, CSV, KML, MVT — chosen from
// the client's Accept-Encoding, and a streaming compressor so that a streamed
// answer stays streamed and memory stays flat.
#include <memory>
#include <string>
#include <string_view>

namespace amis::http {

enum class ContentCoding { identity, gzip, deflate };

// The coding to answer with: gzip when accepted, else deflate, else identity
// (q-values honoured; "*" accepts gzip; q=0 refuses).
ContentCoding negotiate_coding(std::string_view accept_encoding);

// The Content-Encoding token of a coding ("gzip", "deflate"), empty for identity.
std::string_view coding_name(ContentCoding coding);

// True for media types worth compressing: text and structured text, vector tiles.
// Images, archives and GeoPackages are already compressed or binary.
bool compressible(std::string_view content_type);

// A zlib stream writing the gzip (RFC 1952) or zlib (RFC 1950, HTTP's "deflate") format.
class Compressor {
 public:
  explicit Compressor(ContentCoding coding);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  // Compresses `input`; returns what is ready to send (maybe nothing until more comes).
  // With `finish`, the rest and the stream's trailer.
  std::string compress(std::string_view input, bool finish);

 private:
  struct Stream;
  std::unique_ptr<Stream> stream_;
};

}  // namespace amis::http
