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
#include "ingest/zip_archive.hpp"

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
  if (path.ends_with(".csv"))  // named so by file_name_for
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

UploadedDataset read_upload_layer(const core::Collection& collection, OGRLayerH layer, const UploadLimits& limits) {
  return read_layer(collection, layer, limits);
}

}  // namespace amis::ingest
