#include "coverage/geotiff_stream.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <map>

#include "core/error.hpp"
#include "coverage/gdal_handles.hpp"

namespace amis::coverage {
namespace {

// TIFF 6.0's tags that say how the pixels are laid out: written anew for the window.
enum Tag : std::uint16_t {
  kImageWidth = 256,
  kImageLength = 257,
  kCompression = 259,
  kStripOffsets = 273,
  kRowsPerStrip = 278,
  kStripByteCounts = 279,
  kPlanarConfiguration = 284,
  kTileWidth = 322,
  kTileLength = 323,
  kTileOffsets = 324,
  kTileByteCounts = 325,
  kSubIfds = 330,
};
constexpr std::uint16_t kShort = 3, kLong = 4;

// The bytes of one value of a TIFF field type (TIFF 6.0, section 2); 0 unknown.
std::size_t type_bytes(std::uint16_t type) {
  switch (type) {
    case 1: case 2: case 6: case 7: return 1;   // BYTE ASCII SBYTE UNDEFINED
    case 3: case 8: return 2;                   // SHORT SSHORT
    case 4: case 9: case 11: return 4;          // LONG SLONG FLOAT
    case 5: case 10: case 12: return 8;         // RATIONAL SRATIONAL DOUBLE
    default: return 0;
  }
}

std::uint16_t u16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}
std::uint32_t u32(const std::string& b, std::size_t at) {
  return static_cast<std::uint32_t>(u16(b, at)) | static_cast<std::uint32_t>(u16(b, at + 2)) << 16;
}
void put16(std::string& b, std::uint16_t v) {
  b += static_cast<char>(v & 0xff);
  b += static_cast<char>(v >> 8);
}
void put32(std::string& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v & 0xffff));
  put16(b, static_cast<std::uint16_t>(v >> 16));
}

struct Field {
  std::uint16_t type = 0;
  std::uint32_t count = 0;
  std::string value;  // count values, little-endian, as the file holds them
};
using Directory = std::map<std::uint16_t, Field>;  // by tag: TIFF wants them in that order

// The first directory of a little-endian classic TIFF; nullopt for anything else.
std::optional<Directory> read_directory(const std::string& file) {
  if (file.size() < 8 || file.compare(0, 4, std::string("II*\0", 4)) != 0) return std::nullopt;
  const std::size_t at = u32(file, 4);
  if (at + 2 > file.size()) return std::nullopt;
  const std::size_t entries = u16(file, at);
  if (at + 2 + entries * 12 > file.size()) return std::nullopt;
  Directory out;
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t e = at + 2 + i * 12;
    Field f{u16(file, e + 2), u32(file, e + 4), {}};
    const std::size_t bytes = type_bytes(f.type) * f.count;
    if (bytes == 0 && f.count != 0) return std::nullopt;
    const std::size_t from = bytes <= 4 ? e + 8 : u32(file, e + 8);
    if (from + bytes > file.size()) return std::nullopt;
    f.value = file.substr(from, bytes);
    out[u16(file, e)] = std::move(f);
  }
  return out;
}

Field longs(const std::vector<std::uint32_t>& values) {
  Field f{kLong, static_cast<std::uint32_t>(values.size()), {}};
  for (auto v : values) put32(f.value, v);
  return f;
}

// The header and directory of `tags`, whose values follow the directory; the
// strips' offsets count from `data_start`, which must lie beyond them.
std::string tiff_head(const Directory& tags) {
  std::string head("II*\0", 4);
  put32(head, 8);
  std::size_t values_at = 8 + 2 + tags.size() * 12 + 4;
  std::string values;
  put16(head, static_cast<std::uint16_t>(tags.size()));
  for (const auto& [tag, f] : tags) {
    put16(head, tag);
    put16(head, f.type);
    put32(head, f.count);
    if (f.value.size() <= 4) {
      std::string inline_value = f.value;
      inline_value.resize(4, '\0');
      head += inline_value;
    } else {
      if ((values_at + values.size()) % 2) values += '\0';  // values start on a word boundary
      put32(head, static_cast<std::uint32_t>(values_at + values.size()));
      values += f.value;
    }
  }
  put32(head, 0);  // no next directory
  return head + values;
}

// The band's description, nodata, unit, scale and offset, and metadata, as
// gdal_translate copies them.
void copy_band_properties(GDALRasterBandH from, GDALRasterBandH to) {
  GDALSetDescription(to, GDALGetDescription(from));
  int has_nodata = 0;
  const double nodata = GDALGetRasterNoDataValue(from, &has_nodata);
  if (has_nodata) GDALSetRasterNoDataValue(to, nodata);
  if (const char* unit = GDALGetRasterUnitType(from); unit && *unit) GDALSetRasterUnitType(to, unit);
  int has_scale = 0, has_offset = 0;
  const double scale = GDALGetRasterScale(from, &has_scale), offset = GDALGetRasterOffset(from, &has_offset);
  if (has_scale) GDALSetRasterScale(to, scale);
  if (has_offset) GDALSetRasterOffset(to, offset);
  GDALSetRasterColorInterpretation(to, GDALGetRasterColorInterpretation(from));
  GDALSetMetadata(to, GDALGetMetadata(from, nullptr), nullptr);
}

// A 1 x 1 GeoTIFF as GDAL writes the window's: the same bands, georeferencing and metadata.
std::string georeferencing_template(GDALDatasetH source, const CoveragePlan& plan, GDALDataType type) {
  static std::atomic<unsigned long long> counter{0};
  const std::string name = "/vsimem/amis-geotiff-template-" + std::to_string(++counter);
  const int count = static_cast<int>(plan.bands.size());
  const char* options[] = {count > 1 ? "INTERLEAVE=BAND" : nullptr, nullptr};
  {
    Dataset out(GDALCreate(GDALGetDriverByName("GTiff"), name.c_str(), 1, 1, count, type,
                           const_cast<char**>(options)));
    if (!out) throw core::ServerError("GDAL could not write a GeoTIFF header");
    std::array<double, 6> t{};
    if (GDALGetGeoTransform(source, t.data()) == CE_None) {
      t[0] += plan.src_x * t[1] + plan.src_y * t[2];
      t[3] += plan.src_x * t[4] + plan.src_y * t[5];
      GDALSetGeoTransform(out.get(), t.data());
    }
    if (OGRSpatialReferenceH srs = GDALGetSpatialRef(source)) GDALSetSpatialRef(out.get(), srs);
    GDALSetMetadata(out.get(), GDALGetMetadata(source, nullptr), nullptr);
    for (int i = 0; i < count; ++i)
      copy_band_properties(GDALGetRasterBand(source, plan.bands[static_cast<std::size_t>(i)]),
                           GDALGetRasterBand(out.get(), i + 1));
  }
  vsi_l_offset length = 0;
  GByte* bytes = VSIGetMemFileBuffer(name.c_str(), &length, FALSE);
  std::string file = bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length)) : "";
  VSIUnlink(name.c_str());
  if (file.empty()) throw core::ServerError("GDAL could not write a GeoTIFF header");
  return file;
}

constexpr std::size_t kStripBytes = 256 * 1024;        // a strip for readers: rows of about this much
constexpr std::int64_t kMaxBufferBytes = 16 << 20;     // rows read at once: at most this much

}  // namespace

std::optional<GeoTiffStream> plan_geotiff_stream(GDALDatasetH source, const CoveragePlan& plan) {
  GeoTiffStream out;
  out.width = static_cast<int>(plan.width);
  out.height = static_cast<int>(plan.height);
  out.bands = plan.bands;
  GDALRasterBandH first = GDALGetRasterBand(source, plan.bands.front());
  out.type = GDALGetRasterDataType(first);
  out.value_bytes = GDALGetDataTypeSizeBytes(out.type);
  int block_x = 0, block_y = 0;
  GDALGetBlockSize(first, &block_x, &block_y);
  const std::int64_t row_bytes = std::int64_t{out.width} * out.value_bytes;
  out.block_height = static_cast<int>(
      std::clamp<std::int64_t>(std::min<std::int64_t>(block_y, kMaxBufferBytes / row_bytes), 1, out.height));

  auto tags = read_directory(georeferencing_template(source, plan, out.type));
  if (!tags) return std::nullopt;
  const bool separate = out.bands.size() > 1;
  if (separate && (!tags->count(kPlanarConfiguration) || u16(tags->at(kPlanarConfiguration).value, 0) != 2))
    return std::nullopt;
  for (auto tag : {kImageWidth, kImageLength, kCompression, kStripOffsets, kRowsPerStrip, kStripByteCounts,
                   kTileWidth, kTileLength, kTileOffsets, kTileByteCounts, kSubIfds})
    tags->erase(tag);
  const auto rows_per_strip = static_cast<std::uint32_t>(
      std::clamp<std::int64_t>(static_cast<std::int64_t>(kStripBytes) / row_bytes, 1, out.height));
  const std::uint32_t strips_per_band = (static_cast<std::uint32_t>(out.height) + rows_per_strip - 1) / rows_per_strip;
  const std::size_t strips = strips_per_band * (separate ? out.bands.size() : 1);
  (*tags)[kImageWidth] = longs({static_cast<std::uint32_t>(out.width)});
  (*tags)[kImageLength] = longs({static_cast<std::uint32_t>(out.height)});
  (*tags)[kCompression] = Field{kShort, 1, std::string("\1\0", 2)};
  (*tags)[kRowsPerStrip] = longs({rows_per_strip});
  // Placeholders of the right size: the head's length does not depend on their values.
  (*tags)[kStripOffsets] = longs(std::vector<std::uint32_t>(strips, 0));
  (*tags)[kStripByteCounts] = longs(std::vector<std::uint32_t>(strips, 0));

  const std::uint64_t data_start = (tiff_head(*tags).size() + 15) / 16 * 16;
  const std::uint64_t plane = static_cast<std::uint64_t>(row_bytes) * static_cast<std::uint64_t>(out.height);
  out.size = data_start + plane * (separate ? out.bands.size() : 1);
  if (out.size > 0xffffffffULL) return std::nullopt;  // beyond a classic TIFF's offsets
  std::vector<std::uint32_t> offsets, counts;
  for (std::size_t band = 0; band < (separate ? out.bands.size() : 1); ++band)
    for (std::uint32_t s = 0; s < strips_per_band; ++s) {
      const std::uint32_t rows = std::min<std::uint32_t>(rows_per_strip, static_cast<std::uint32_t>(out.height) - s * rows_per_strip);
      offsets.push_back(static_cast<std::uint32_t>(data_start + band * plane + s * rows_per_strip * static_cast<std::uint64_t>(row_bytes)));
      counts.push_back(static_cast<std::uint32_t>(rows * static_cast<std::uint64_t>(row_bytes)));
    }
  (*tags)[kStripOffsets] = longs(offsets);
  (*tags)[kStripByteCounts] = longs(counts);
  out.head = tiff_head(*tags);
  out.head.resize(data_start, '\0');
  return out;
}

std::int64_t geotiff_stream_buffer_bytes(const GeoTiffStream& file) {
  return std::int64_t{file.width} * file.value_bytes * file.block_height;
}

void write_geotiff_stream(const GeoTiffStream& file, int src_y, core::ByteSink& sink, const ReadRows& read_rows) {
  sink.write(file.head);
  const std::size_t row_bytes = static_cast<std::size_t>(file.width) * static_cast<std::size_t>(file.value_bytes);
  std::vector<unsigned char> buffer(static_cast<std::size_t>(geotiff_stream_buffer_bytes(file)));
  for (int band : file.bands) {
    for (int y = 0; y < file.height;) {
      // To the end of the source's row of tiles, so that each is read once.
      const int rows = std::min(file.block_height - (src_y + y) % file.block_height, file.height - y);
      read_rows(band, y, rows, buffer.data());
      sink.write(std::string_view(reinterpret_cast<const char*>(buffer.data()), row_bytes * static_cast<std::size_t>(rows)));
      y += rows;
    }
  }
}

}  // namespace amis::coverage
