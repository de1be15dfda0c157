#include "encode/ogr_writer.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <vector>

namespace amis::encode {
namespace {

constexpr OgrFormat kFormats[] = {
    {"geojson", "GeoJSON", "geojson"}, {"gpkg", "GPKG", "gpkg"},
    {"shp", "ESRI Shapefile", "shp"},  {"fgb", "FlatGeobuf", "fgb"},
    {"csv", "CSV", "csv"},             {"kml", "KML", "kml"},
    {"gml", "GML", "gml"},             {"shapezip", "ESRI Shapefile", "shp.zip"},
};

OGRwkbGeometryType ogr_type(const std::string& name) {
  if (name == "POINT") return wkbPoint;
  if (name == "LINESTRING") return wkbLineString;
  if (name == "POLYGON") return wkbPolygon;
  if (name == "MULTIPOINT") return wkbMultiPoint;
  if (name == "MULTILINESTRING") return wkbMultiLineString;
  if (name == "MULTIPOLYGON") return wkbMultiPolygon;
  if (name == "GEOMETRYCOLLECTION") return wkbGeometryCollection;
  return wkbUnknown;
}

OGRFieldType field_type(core::PropertyType type, OGRFieldSubType& sub) {
  sub = OFSTNone;
  switch (type) {
    case core::PropertyType::Integer: return OFTInteger64;
    case core::PropertyType::Real: return OFTReal;
    case core::PropertyType::Boolean: sub = OFSTBoolean; return OFTInteger;
    case core::PropertyType::Date: return OFTDate;
    case core::PropertyType::DateTime: return OFTDateTime;
    case core::PropertyType::Text: return OFTString;
  }
  return OFTString;
}

}  // namespace

const OgrFormat* find_ogr_format(std::string_view name) {
  for (const auto& f : kFormats)
    if (name == f.name) return &f;
  if (name == "shapefile") return find_ogr_format("shp");
  if (name == "flatgeobuf") return find_ogr_format("fgb");
  if (name == "geopackage") return find_ogr_format("gpkg");
  if (name == "json") return find_ogr_format("geojson");
  return nullptr;
}

std::string ogr_format_names() {
  std::string names;
  for (const auto& f : kFormats) names += std::string(names.empty() ? "" : ", ") + f.name;
  return names;
}

OgrFileWriter::OgrFileWriter(const OgrFormat& format, std::string path)
    : format_(format), path_(std::move(path)) {
  GDALDriverH driver = GDALGetDriverByName(format.driver);
  if (!driver) throw OgrWriteError(std::string("GDAL has no ") + format.driver + " driver");
  VSIUnlink(path_.c_str());
  dataset_ = GDALCreate(driver, path_.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  if (!dataset_) throw OgrWriteError("cannot create '" + path_ + "': " + CPLGetLastErrorMsg());
}

OgrFileWriter::~OgrFileWriter() {
  if (dataset_) GDALClose(dataset_);
}

void OgrFileWriter::begin(const core::Collection& collection) {
  collection_ = &collection;
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 4326);
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  std::vector<const char*> options;
  if (std::string(format_.driver) == "CSV") options.push_back("GEOMETRY=AS_WKT");
  if (std::string(format_.driver) == "ESRI Shapefile") options.push_back("ENCODING=UTF-8");
  options.push_back(nullptr);
  layer_ = GDALDatasetCreateLayer(dataset_, collection.id.c_str(), srs,
                                  ogr_type(collection.geometry_type), const_cast<char**>(options.data()));
  OSRRelease(srs);
  if (!layer_) throw OgrWriteError("cannot create layer in '" + path_ + "': " + CPLGetLastErrorMsg());
  for (const auto& p : collection.properties) {
    OGRFieldSubType sub;
    OGRFieldDefnH field = OGR_Fld_Create(p.name.c_str(), field_type(p.type, sub));
    OGR_Fld_SetSubType(field, sub);
    OGR_L_CreateField(static_cast<OGRLayerH>(layer_), field, TRUE);
    OGR_Fld_Destroy(field);
  }
  // Drivers may rename fields (Shapefile's 10 characters) or add their own, so
  // each property's field is found by position among the created ones.
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(static_cast<OGRLayerH>(layer_));
  const int existing = OGR_FD_GetFieldCount(defn) - static_cast<int>(collection.properties.size());
  for (size_t i = 0; i < collection.properties.size(); ++i)
    field_index_.push_back(existing + static_cast<int>(i));
  // Without transactions (Shapefile, CSV) GDAL writes directly: not an error.
  if (OGR_L_StartTransaction(static_cast<OGRLayerH>(layer_)) != OGRERR_NONE) CPLErrorReset();
}

void OgrFileWriter::feature(const core::FeatureView& view) {
  auto* layer = static_cast<OGRLayerH>(layer_);
  OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
  if (!view.wkb.empty()) {
    OGRGeometryH g = nullptr;
    if (OGR_G_CreateFromWkbEx(view.wkb.data(), nullptr, &g, view.wkb.size()) == OGRERR_NONE)
      OGR_F_SetGeometryDirectly(f, g);
  }
  for (size_t i = 0; i < view.values.size() && i < field_index_.size(); ++i) {
    const int fi = field_index_[i];
    const auto& v = view.values[i];
    switch (v.kind) {
      case core::Value::Kind::Null: OGR_F_SetFieldNull(f, fi); break;
      case core::Value::Kind::Integer: OGR_F_SetFieldInteger64(f, fi, v.integer); break;
      case core::Value::Kind::Real: OGR_F_SetFieldDouble(f, fi, v.real); break;
      case core::Value::Kind::Text: OGR_F_SetFieldString(f, fi, std::string(v.text).c_str()); break;
    }
  }
  const OGRErr err = OGR_L_CreateFeature(layer, f);
  OGR_F_Destroy(f);
  if (err != OGRERR_NONE) throw OgrWriteError("cannot write a feature to '" + path_ + "': " + CPLGetLastErrorMsg());
}

void OgrFileWriter::end() {
  CPLErrorReset();
  if (layer_ && OGR_L_CommitTransaction(static_cast<OGRLayerH>(layer_)) != OGRERR_NONE)
    CPLErrorReset();  // nothing was open for a non-transactional driver
  GDALClose(dataset_);
  dataset_ = nullptr;
  if (CPLGetLastErrorType() >= CE_Failure) throw OgrWriteError("cannot complete '" + path_ + "': " + CPLGetLastErrorMsg());
}

}  // namespace amis::encode
