#include "store/gpkg/gpkg_binary.hpp"

#include <cstring>

#include "core/wkb.hpp"

namespace amis::store::gpkg {
namespace {

constexpr size_t kEnvelopeBytes[] = {0, 32, 48, 48, 64};

double read_double(const std::uint8_t* p, bool little) {
  std::uint64_t bits;
  std::memcpy(&bits, p, 8);
  if (!little) bits = __builtin_bswap64(bits);
  double v;
  std::memcpy(&v, &bits, 8);
  return v;
}

void append_double(std::vector<std::uint8_t>& out, double v) {
  std::uint8_t bytes[8];
  std::memcpy(bytes, &v, 8);  // little-endian host, flagged in the header
  out.insert(out.end(), bytes, bytes + 8);
}

}  // namespace

GpkgGeometry parse_gpkg_geometry(std::span<const std::uint8_t> blob) {
  if (blob.size() < 8 || blob[0] != 'G' || blob[1] != 'P')
    throw core::WkbError("not a GeoPackage geometry");
  const std::uint8_t flags = blob[3];
  const bool little = flags & 1;
  const int envelope_kind = (flags >> 1) & 7;
  if (envelope_kind > 4) throw core::WkbError("invalid GeoPackage envelope indicator");
  const size_t header = 8 + kEnvelopeBytes[envelope_kind];
  if (blob.size() < header) throw core::WkbError("truncated GeoPackage geometry");

  GpkgGeometry g;
  std::uint32_t srs;
  std::memcpy(&srs, blob.data() + 4, 4);
  if (!little) srs = __builtin_bswap32(srs);
  g.srs_id = static_cast<std::int32_t>(srs);
  g.empty = flags & 0x10;
  if (envelope_kind > 0) {
    const auto* e = blob.data() + 8;
    core::Envelope env;
    env.min_x = read_double(e, little);
    env.max_x = read_double(e + 8, little);
    env.min_y = read_double(e + 16, little);
    env.max_y = read_double(e + 24, little);
    g.envelope = env;
  }
  g.wkb = blob.subspan(header);
  return g;
}

void append_gpkg_geometry(std::span<const std::uint8_t> wkb, std::int32_t srs_id,
                          std::vector<std::uint8_t>& out) {
  const core::Envelope env = core::wkb_envelope(wkb);
  const bool empty = env.empty();
  const std::uint8_t flags = static_cast<std::uint8_t>(1 | (empty ? 0x10 : 0) | (empty ? 0 : 1 << 1));
  out.push_back('G');
  out.push_back('P');
  out.push_back(0);
  out.push_back(flags);
  std::uint8_t srs[4];
  std::memcpy(srs, &srs_id, 4);
  out.insert(out.end(), srs, srs + 4);
  if (!empty) {
    append_double(out, env.min_x);
    append_double(out, env.max_x);
    append_double(out, env.min_y);
    append_double(out, env.max_y);
  }
  out.insert(out.end(), wkb.begin(), wkb.end());
}

core::Envelope gpkg_envelope(const GpkgGeometry& geometry) {
  if (geometry.empty) return {};
  if (geometry.envelope) return *geometry.envelope;
  return core::wkb_envelope(geometry.wkb);
}

}  // namespace amis::store::gpkg
