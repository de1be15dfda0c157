#pragma once
// Reading ISO WKB (OGC Simple Features 1.2.1, §8.2) without building objects:
// geometry travels as WKB from the store to the encoders.
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>

#include "core/envelope.hpp"

namespace amis::core {

enum class WkbType : std::uint32_t {
  Point = 1, LineString = 2, Polygon = 3, MultiPoint = 4, MultiLineString = 5,
  MultiPolygon = 6, GeometryCollection = 7
};

struct WkbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A cursor over WKB bytes. Reads are bounds-checked: a truncated blob throws WkbError.
class WkbReader {
 public:
  explicit WkbReader(std::span<const std::uint8_t> data) : data_(data) {}

  struct Header {
    WkbType type;
    int dimensions;  // 2, 3 (Z or M) or 4 (ZM)
    bool has_z;      // the third ordinate is Z (not M)
  };

  // Reads a byte order mark and a geometry type (ISO and EWKB-style Z/M flags).
  Header header() {
    little_ = byte() == 1;
    std::uint32_t code = u32();
    int dims = 2;
    if (code & 0x80000000u) ++dims;
    if (code & 0x40000000u) ++dims;
    // M-only geometries are 2000-2999 (ISO) or carry only the 0x40000000 flag (EWKB).
    const bool m_only = (code & 0x0FFFFFFFu) / 1000 == 2 || ((code & 0x40000000u) && !(code & 0x80000000u));
    code &= 0x0FFFFFFFu;
    if (code >= 3000) { dims = 4; code -= 3000; }
    else if (code >= 2000) { dims = 3; code -= 2000; }
    else if (code >= 1000) { dims = 3; code -= 1000; }
    if (code < 1 || code > 7) throw WkbError("unsupported WKB geometry type");
    return {static_cast<WkbType>(code), dims, dims >= 3 && !m_only};
  }

  std::uint32_t count() {
    const std::uint32_t n = u32();
    // Every element takes at least 8 bytes: refuse counts the data cannot hold.
    if (n > (data_.size() - pos_) / 8 + 1) throw WkbError("WKB count exceeds the data");
    return n;
  }

  double f64() {
    need(8);
    std::uint64_t bits;
    std::memcpy(&bits, data_.data() + pos_, 8);
    if (!little_) bits = __builtin_bswap64(bits);
    pos_ += 8;
    double value;
    std::memcpy(&value, &bits, 8);
    return value;
  }

  std::uint32_t u32() {
    need(4);
    std::uint32_t v;
    std::memcpy(&v, data_.data() + pos_, 4);
    if (!little_) v = __builtin_bswap32(v);
    pos_ += 4;
    return v;
  }

  std::uint8_t byte() {
    need(1);
    return data_[pos_++];
  }

  size_t position() const { return pos_; }

 private:
  void need(size_t n) const {
    if (data_.size() - pos_ < n) throw WkbError("truncated WKB");
  }
  std::span<const std::uint8_t> data_;
  size_t pos_ = 0;
  bool little_ = true;
};

// The envelope of all coordinates of a WKB geometry (empty for an empty geometry).
// @throws WkbError for malformed WKB.
Envelope wkb_envelope(std::span<const std::uint8_t> wkb);

// The number of positions (vertices, points) of a WKB geometry.
// @throws WkbError for malformed WKB.
std::size_t wkb_vertex_count(std::span<const std::uint8_t> wkb);

// The OGC name of the WKB geometry type ("POINT", "MULTIPOLYGON", ...).
const char* wkb_type_name(WkbType type);

}  // namespace amis::core
