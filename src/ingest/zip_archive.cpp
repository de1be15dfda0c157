#include "ingest/zip_archive.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/error.hpp"

namespace amis::ingest {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw core::InvalidValue("upload", why); }

std::uint32_t le(std::string_view b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return v;
}

std::string lower_extension(const std::string& name) {
  auto ext = std::filesystem::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool dataset_extension(const std::string& ext) {
  return ext == ".shp" || ext == ".gpkg" || ext == ".geojson" || ext == ".json" || ext == ".fgb" || ext == ".kml" ||
         ext == ".csv";
}

}  // namespace

// The entries of a zip's central directory (APPNOTE 4.3.12, 4.3.16), read
// before GDAL sees the archive.
std::vector<ZipEntry> zip_entries(std::string_view zip) {
  if (zip.size() < 22) refuse("the zip archive is truncated");
  std::size_t end = zip.size() - 22;  // the end of central directory record, after at most a 64 KiB comment
  const std::size_t lowest = zip.size() > 22 + 65535 ? zip.size() - 22 - 65535 : 0;
  while (le(zip, end, 4) != 0x06054b50) {
    if (end == lowest) refuse("the zip archive has no central directory");
    --end;
  }
  const std::size_t count = le(zip, end + 10, 2);
  const std::size_t size = le(zip, end + 12, 4);
  std::size_t at = le(zip, end + 16, 4);
  if (count == 0xFFFF || size == 0xFFFFFFFF || at == 0xFFFFFFFF) refuse("ZIP64 archives are not accepted");
  if (at + size > end) refuse("the zip archive's central directory lies outside it");
  std::vector<ZipEntry> entries;
  for (std::size_t i = 0; i < count; ++i) {
    if (at + 46 > end || le(zip, at, 4) != 0x02014b50) refuse("the zip archive's central directory is damaged");
    ZipEntry e;
    e.packed = le(zip, at + 20, 4);
    e.unpacked = le(zip, at + 24, 4);
    const std::size_t name = le(zip, at + 28, 2), extra = le(zip, at + 30, 2), comment = le(zip, at + 32, 2);
    if (at + 46 + name > end) refuse("the zip archive's central directory is damaged");
    e.name = std::string(zip.substr(at + 46, name));
    if (e.packed == 0xFFFFFFFF || e.unpacked == 0xFFFFFFFF) refuse("ZIP64 archives are not accepted");
    entries.push_back(std::move(e));
    at += 46 + name + extra + comment;
  }
  return entries;
}

bool safe_entry_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos ||
      name.find(':') != std::string::npos || name.find('\0') != std::string::npos)
    return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto slash = name.find('/', start);
    const auto part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

std::string dataset_in_zip(std::string_view zip, const UploadLimits& limits) {
  const auto entries = zip_entries(zip);
  if (entries.size() > limits.max_entries)
    refuse("the zip archive holds more than " + std::to_string(limits.max_entries) + " entries");
  std::uint64_t unpacked = 0;
  std::vector<std::string> datasets;
  for (const auto& e : entries) {
    if (!safe_entry_name(e.name)) refuse("the zip archive has an entry named '" + e.name.substr(0, 80) +
                                         "' (absolute, or leading out of the archive)");
    unpacked += e.unpacked;
    if (e.name.starts_with("__MACOSX/") || e.name.ends_with("/")) continue;
    if (dataset_extension(lower_extension(e.name))) datasets.push_back(e.name);
  }
  if (unpacked > limits.max_unpacked_bytes)
    refuse("the zip archive unpacks to more than " + std::to_string(limits.max_unpacked_bytes >> 20) + " MB");
  if (static_cast<double>(unpacked) > limits.max_ratio * static_cast<double>(zip.size()))
    refuse("the zip archive unpacks to more than " + std::to_string(static_cast<int>(limits.max_ratio)) +
           " times its size (a zip bomb?)");
  if (datasets.size() != 1)
    refuse(datasets.empty() ? "the zip archive holds no dataset (.shp, .gpkg, .geojson, .fgb, .kml or .csv)"
                            : "the zip archive holds " + std::to_string(datasets.size()) +
                                  " datasets; upload one at a time");
  return datasets.front();
}

}  // namespace amis::ingest
