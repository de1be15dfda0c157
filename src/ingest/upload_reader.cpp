#include "ingest/upload_reader.hpp"

#include <cpl_vsi.h>
#include <gdal.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/error.hpp"
#include "edit/feature_input.hpp"
#include "ingest/ogr_import.hpp"
#include "ingest/ogr_source.hpp"

namespace amis::ingest {
namespace {

using nlohmann::json;

[[noreturn]] void refuse(const std::string& why) { throw core::InvalidValue("upload", why); }

// A private directory for the upload, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "amis-upload-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw core::ServerError("cannot create a temporary directory");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct ZipEntry {
  std::string name;
  std::uint64_t packed = 0;
  std::uint64_t unpacked = 0;
};

std::uint32_t le(std::string_view b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return v;
}

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

std::string lower_extension(const std::string& name) {
  auto ext = std::filesystem::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool dataset_extension(const std::string& ext) {
  return ext == ".shp" || ext == ".gpkg" || ext == ".geojson" || ext == ".json" || ext == ".fgb" || ext == ".kml" ||
         ext == ".csv";
}

// Checks the archive and returns the one dataset inside it.
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

// The file name the upload is saved under, from its first bytes.
std::string file_name_for(std::string_view bytes) {
  if (bytes.starts_with("PK\x03\x04")) return "upload.zip";
  if (bytes.starts_with(std::string_view("SQLite format 3\0", 16))) return "upload.gpkg";
  if (bytes.starts_with("fgb\x03")) return "upload.fgb";
  const auto first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string_view::npos) refuse("the upload is empty");
  if (bytes[first] == '{' || bytes[first] == '[') return "upload.geojson";
  if (bytes[first] == '<') {
    if (bytes.substr(0, 2048).find("<kml") != std::string_view::npos) return "upload.kml";
    refuse("XML uploads other than KML are not accepted (use GeoJSON, GeoPackage, Shapefile, FlatGeobuf, KML or CSV)");
  }
  return "upload.csv";
}

struct DatasetCloser {
  void operator()(void* ds) const { GDALClose(ds); }
};

// Only these drivers read uploads: no VRT or GML (which reference other files
// and URLs), no LIBKML (network links).
void* open_upload(const std::string& path) {
  const char* drivers[] = {"GeoJSON", "GPKG", "FlatGeobuf", "KML", "CSV", "ESRI Shapefile", nullptr};
  std::vector<const char*> options;
  if (lower_extension(path) == ".csv")
    options = {"X_POSSIBLE_NAMES=lon,long,longitude,x,lng", "Y_POSSIBLE_NAMES=lat,latitude,y",
               "GEOM_POSSIBLE_NAMES=wkt,geom,geometry,the_geom", "KEEP_GEOM_COLUMNS=NO",
               "EMPTY_STRING_AS_NULL=YES"};  // cells stay text, typed below by the collection's properties
  options.push_back(nullptr);
  CPLErrorReset();
  void* ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, options.data(), nullptr);
  if (!ds) refuse("the upload is not a dataset AMIS reads (GeoJSON, GeoPackage, zipped Shapefile, FlatGeobuf, KML, CSV)");
  return ds;
}

bool same_letters(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The property a field holds: by name in any case, or for a Shapefile's names
// cut to 10 characters, the one property whose name begins so.
const core::Property* property_for(const core::Collection& c, const std::string& field) {
  if (const auto* p = c.property(field)) return p;
  for (const auto& p : c.properties)
    if (same_letters(p.name, field)) return &p;
  if (field.size() != 10) return nullptr;
  const core::Property* found = nullptr;
  for (const auto& p : c.properties) {
    if (p.name.size() > 10 && same_letters(std::string_view(p.name).substr(0, 10), field)) {
      if (found) return nullptr;  // ambiguous
      found = &p;
    }
  }
  return found;
}

json field_value(OGRFeatureH f, int i, OGRFieldDefnH defn, const core::Property& property) {
  if (!OGR_F_IsFieldSetAndNotNull(f, i)) return nullptr;
  switch (OGR_Fld_GetType(defn)) {
    case OFTInteger:
      if (OGR_Fld_GetSubType(defn) == OFSTBoolean) return OGR_F_GetFieldAsInteger(f, i) != 0;
      return OGR_F_GetFieldAsInteger64(f, i);
    case OFTInteger64: return OGR_F_GetFieldAsInteger64(f, i);
    case OFTReal: return OGR_F_GetFieldAsDouble(f, i);
    case OFTDate: return datetime_text(f, i, true);
    case OFTDateTime: return datetime_text(f, i, false);
    default: return edit::value_from_text(property, OGR_F_GetFieldAsString(f, i));
  }
}

UploadedDataset read_layer(const core::Collection& collection, OGRLayerH layer, const UploadLimits& limits) {
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  const int fields = OGR_FD_GetFieldCount(defn);
  std::vector<const core::Property*> targets;
  std::string unknown;
  for (int i = 0; i < fields; ++i) {
    const std::string name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    targets.push_back(property_for(collection, name));
    if (!targets.back()) unknown += (unknown.empty() ? "" : ", ") + name;
  }
  UploadedDataset dataset;
  dataset.has_geometry = OGR_FD_GetGeomFieldCount(defn) > 0;
  if (!unknown.empty())
    refuse("collection '" + collection.id + "' has no properties " + unknown.substr(0, 300) +
           " (rename or drop those columns)");
  OGRCoordinateTransformationH transform = nullptr;
  try {
    transform = to_crs84(layer);
  } catch (const ImportError& e) {
    refuse(e.what());
  }
  std::unique_ptr<void, void (*)(void*)> transform_owner(transform, [](void* t) {
    if (t) OCTDestroyCoordinateTransformation(static_cast<OGRCoordinateTransformationH>(t));
  });

  auto& out = dataset.features;
  OGR_L_ResetReading(layer);
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    std::unique_ptr<void, void (*)(void*)> owner(f, [](void* x) { OGR_F_Destroy(static_cast<OGRFeatureH>(x)); });
    if (out.size() == limits.max_features)
      refuse("the upload holds more than " + std::to_string(limits.max_features) + " features");
    const std::string where = "feature " + std::to_string(out.size() + 1) + ": ";
    edit::FeatureState state;
    if (OGRGeometryH g = OGR_F_GetGeometryRef(f); g && !OGR_G_IsEmpty(g)) {
      if (transform && OGR_G_Transform(g, transform) != OGRERR_NONE) refuse(where + "cannot transform to WGS 84");
      std::vector<std::uint8_t> wkb(static_cast<std::size_t>(OGR_G_WkbSize(g)));
      OGR_G_ExportToIsoWkb(g, wkbNDR, wkb.data());
      try {
        state.wkb = edit::checked_geometry(collection, wkb);
      } catch (const core::OgcError& e) {
        refuse(where + e.what());
      }
    }
    json properties = json::object();
    edit::UploadedFeature feature;
    try {
      for (int i = 0; i < fields; ++i) {
        if (!OGR_F_IsFieldSet(f, i)) continue;  // a property this feature does not give (not a null)
        const auto& p = *targets[static_cast<std::size_t>(i)];
        properties[p.name] = field_value(f, i, OGR_FD_GetFieldDefn(defn, i), p);
        feature.columns.push_back(p.name);
      }
      state.properties = edit::checked_properties(collection, properties);
    } catch (const core::OgcError& e) {
      refuse(where + e.what());
    }
    feature.state = std::move(state);
    out.push_back(std::move(feature));
  }
  return dataset;
}

}  // namespace

UploadedDataset read_upload(const core::Collection& collection, std::string_view bytes, const UploadLimits& limits) {
  const std::string name = file_name_for(bytes);
  TempDir dir;
  const auto file = dir.path() / name;
  {
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw core::ServerError("cannot write the upload to " + file.string());
  }
  std::string path = file.string();
  if (name == "upload.zip") path = "/vsizip/" + path + "/" + dataset_in_zip(bytes, limits);
  std::unique_ptr<void, DatasetCloser> ds(open_upload(path));
  const int layers = GDALDatasetGetLayerCount(ds.get());
  if (layers != 1)
    refuse("the upload holds " + std::to_string(layers) + " layers; upload a dataset with one layer");
  return read_layer(collection, GDALDatasetGetLayer(ds.get(), 0), limits);
}

}  // namespace amis::ingest
