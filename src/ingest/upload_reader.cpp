#include "ingest/upload_reader.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <stdlib.h>

#include <algorithm>
#include <limits>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/error.hpp"
#include "core/request_budget.hpp"
#include "edit/feature_input.hpp"
#include "encode/kml_writer.hpp"
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

// LIBKML reads a KML's ExtendedData (GDAL's KML driver gives only a placemark's
// name and description), but can fetch external styles and follow a KMZ's or a
// folder's doc.kml links: while an upload is read, on this thread, it does not.
class LibkmlStaysLocal {
 public:
  LibkmlStaysLocal() {
    for (const char* key : kKeys) CPLSetThreadLocalConfigOption(key, "NO");
  }
  ~LibkmlStaysLocal() {
    for (const char* key : kKeys) CPLSetThreadLocalConfigOption(key, nullptr);
  }
  LibkmlStaysLocal(const LibkmlStaysLocal&) = delete;
  LibkmlStaysLocal& operator=(const LibkmlStaysLocal&) = delete;

 private:
  static constexpr const char* kKeys[] = {"LIBKML_EXTERNAL_STYLE", "LIBKML_RESOLVE_STYLE", "LIBKML_USE_DOC.KML"};
};

// Only these drivers read uploads: no VRT or GML (which reference other files
// and URLs); LIBKML only for a .kml file (not a KMZ or a folder, whose doc.kml
// links to other files), with LibkmlStaysLocal around it.
void* open_upload(const std::string& path) {
  std::vector<const char*> drivers = {"GeoJSON", "GPKG", "FlatGeobuf", "KML", "CSV", "ESRI Shapefile"};
  if (path.ends_with(".kml")) drivers.insert(drivers.begin(), "LIBKML");
  drivers.push_back(nullptr);
  std::vector<const char*> options;
  if (path.ends_with(".csv"))  // named so by file_name_for
    options = {"X_POSSIBLE_NAMES=lon,long,longitude,x,lng", "Y_POSSIBLE_NAMES=lat,latitude,y",
               "GEOM_POSSIBLE_NAMES=wkt,geom,geometry,the_geom", "KEEP_GEOM_COLUMNS=NO",
               "EMPTY_STRING_AS_NULL=YES"};  // cells stay text, typed below by the collection's properties
  options.push_back(nullptr);
  CPLErrorReset();
  void* ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers.data(), options.data(), nullptr);
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

// The fields GDAL's KML and LIBKML drivers give every placemark: its name and
// description, and LIBKML's time, altitude, display and icon fields.
bool kml_own_field(std::string_view name) {
  static constexpr std::string_view kOwn[] = {"Name",       "Description", "description", "timestamp", "begin",
                                              "end",        "altitudeMode", "tessellate", "extrude",   "visibility",
                                              "drawOrder", "icon",          "snippet"};
  return std::find(std::begin(kOwn), std::end(kOwn), name) != std::end(kOwn);
}

// The property each field of the layer fills, null for a field left out. For
// KML, the fields the driver gives every placemark (kml_own_field) fill the
// collection's properties of that name; without one, a placemark's
// name fills the property AMIS's KML export names placemarks after (unless
// ExtendedData gives that property too), and the rest is left out.
// @throws core::InvalidValue naming the other fields the collection lacks.
std::vector<const core::Property*> field_targets(const core::Collection& collection, OGRFeatureDefnH defn, bool kml) {
  const int fields = OGR_FD_GetFieldCount(defn);
  std::vector<const core::Property*> targets;
  std::vector<int> kml_own;
  std::string unknown;
  for (int i = 0; i < fields; ++i) {
    const std::string name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    targets.push_back(property_for(collection, name));
    if (targets.back()) continue;
    if (kml && kml_own_field(name)) kml_own.push_back(i);
    else unknown += (unknown.empty() ? "" : ", ") + name;
  }
  if (!unknown.empty())
    refuse("collection '" + collection.id + "' has no properties " + unknown.substr(0, 300) +
           " (rename or drop those columns)");
  for (int i : kml_own) {
    const auto* named = encode::kml_name_property(collection);
    if (std::string_view(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))) == "Name" && named &&
        std::find(targets.begin(), targets.end(), named) == targets.end())
      targets[static_cast<std::size_t>(i)] = named;
  }
  return targets;
}

// Refuses a layer of more than `max` features before any is kept: from the
// format's own count where it has one (a Shapefile's header), or else by
// reading the features once without keeping them.
void refuse_too_many_features(OGRLayerH layer, std::size_t max) {
  if (max == std::numeric_limits<std::size_t>::max()) return;  // no limit (an administrator's import)
  const std::string why = "the upload holds more than " + std::to_string(max) + " features";
  if (OGR_L_TestCapability(layer, OLCFastFeatureCount)) {
    const GIntBig count = OGR_L_GetFeatureCount(layer, FALSE);
    if (count > 0 && static_cast<std::uint64_t>(count) > max) refuse(why);
    return;
  }
  std::size_t count = 0;
  OGR_L_ResetReading(layer);
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    OGR_F_Destroy(f);
    core::RequestBudget::check();  // an abandoned or overlong upload stops here
    if (++count > max) refuse(why);
  }
}

UploadedDataset read_layer(const core::Collection& collection, OGRLayerH layer, const UploadLimits& limits, bool kml) {
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  const int fields = OGR_FD_GetFieldCount(defn);
  const auto targets = field_targets(collection, defn, kml);
  refuse_too_many_features(layer, limits.max_features);
  UploadedDataset dataset;
  dataset.has_geometry = OGR_FD_GetGeomFieldCount(defn) > 0;
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
    core::RequestBudget::check();
    if (out.size() == limits.max_features)  // a format whose count was wrong
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
        const auto* target = targets[static_cast<std::size_t>(i)];
        if (!target || !OGR_F_IsFieldSet(f, i)) continue;  // left out, or not given by this feature (not a null)
        const auto& p = *target;
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
  const LibkmlStaysLocal libkml_stays_local;
  std::unique_ptr<void, DatasetCloser> ds(open_upload(path));
  const int layers = GDALDatasetGetLayerCount(ds.get());
  if (layers != 1)
    refuse("the upload holds " + std::to_string(layers) + " layers; upload a dataset with one layer");
  const std::string_view driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds.get()));
  const bool kml = driver == "KML" || driver == "LIBKML";
  return read_layer(collection, GDALDatasetGetLayer(ds.get(), 0), limits, kml);
}

UploadedDataset read_upload_layer(const core::Collection& collection, OGRLayerH layer, const UploadLimits& limits) {
  return read_layer(collection, layer, limits, false);  // an import file: its fields are named as the collection's
}

}  // namespace amis::ingest
