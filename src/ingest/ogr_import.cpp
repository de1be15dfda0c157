#include "ingest/ogr_import.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cstdio>
#include <limits>
#include <memory>
#include <set>

#include "core/datetime.hpp"
#include "ingest/ogr_source.hpp"

namespace amis::ingest {
namespace {

struct DatasetCloser {
  void operator()(void* ds) const { GDALClose(ds); }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

bool ends_with(const std::string& s, const char* suffix) {
  const std::string x(suffix);
  if (s.size() < x.size()) return false;
  return std::equal(x.rbegin(), x.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

Dataset open_source(const std::string& source) {
  std::string name = source;
  // GDAL reads .shp.zip/.shz itself; any other zip is opened as a folder.
  if (ends_with(source, ".zip") && !ends_with(source, ".shp.zip")) name = "/vsizip/" + source;
  std::vector<const char*> open_options;
  if (ends_with(source, ".csv")) {
    open_options = {"X_POSSIBLE_NAMES=lon,long,longitude,x,lng", "Y_POSSIBLE_NAMES=lat,latitude,y",
                    "GEOM_POSSIBLE_NAMES=wkt,geom,geometry,the_geom", "KEEP_GEOM_COLUMNS=NO",
                    "AUTODETECT_TYPE=YES", "EMPTY_STRING_AS_NULL=YES"};
  }
  open_options.push_back(nullptr);
  CPLErrorReset();
  Dataset ds(GDALOpenEx(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                        open_options.data(), nullptr));
  if (!ds) {
    std::string why = CPLGetLastErrorMsg();
    throw ImportError("cannot read '" + source + "'" + (why.empty() ? ": not a vector dataset GDAL knows" : ": " + why));
  }
  return ds;
}

OGRLayerH choose_layer(void* ds, const std::string& source, const std::string& wanted) {
  const int n = GDALDatasetGetLayerCount(ds);
  if (!wanted.empty()) {
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, wanted.c_str());
    if (!layer) throw ImportError("'" + source + "' has no layer '" + wanted + "'");
    return layer;
  }
  if (n == 1) return GDALDatasetGetLayer(ds, 0);
  std::string names;
  for (int i = 0; i < n; ++i) names += std::string(i ? ", " : "") + OGR_L_GetName(GDALDatasetGetLayer(ds, i));
  if (n == 0) throw ImportError("'" + source + "' has no layers");
  throw ImportError("'" + source + "' has " + std::to_string(n) + " layers (" + names + "): choose one with --layer");
}

core::PropertyType property_type(OGRFieldDefnH field) {
  switch (OGR_Fld_GetType(field)) {
    case OFTInteger:
      return OGR_Fld_GetSubType(field) == OFSTBoolean ? core::PropertyType::Boolean
                                                      : core::PropertyType::Integer;
    case OFTInteger64: return core::PropertyType::Integer;
    case OFTReal: return core::PropertyType::Real;
    case OFTDate: return core::PropertyType::Date;
    case OFTDateTime: return core::PropertyType::DateTime;
    default: return core::PropertyType::Text;
  }
}

// Property names unique (case-insensitively) and clear of the table's own columns.
std::vector<core::Property> read_properties(OGRFeatureDefnH defn) {
  std::vector<core::Property> properties;
  std::set<std::string> taken = {"fid", "geom"};
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
    OGRFieldDefnH field = OGR_FD_GetFieldDefn(defn, i);
    std::string name = OGR_Fld_GetNameRef(field);
    auto lower = [](std::string s) {
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    std::string candidate = name;
    for (int k = 1; taken.count(lower(candidate)); ++k) candidate = name + "_" + std::to_string(k);
    taken.insert(lower(candidate));
    properties.push_back({candidate, property_type(field)});
  }
  return properties;
}

std::string geometry_type_name(OGRwkbGeometryType type, bool promote_to_multi) {
  switch (wkbFlatten(type)) {
    case wkbPoint: return "POINT";
    case wkbLineString: return promote_to_multi ? "MULTILINESTRING" : "LINESTRING";
    case wkbPolygon: return promote_to_multi ? "MULTIPOLYGON" : "POLYGON";
    case wkbMultiPoint: return "MULTIPOINT";
    case wkbMultiLineString: return "MULTILINESTRING";
    case wkbMultiPolygon: return "MULTIPOLYGON";
    case wkbGeometryCollection: return "GEOMETRYCOLLECTION";
    default: return "GEOMETRY";
  }
}

}  // namespace

std::int64_t import_dataset(store::Store& store, const ImportOptions& options,
                            const std::function<void(double)>& progress) {
  Dataset ds = open_source(options.source);
  OGRLayerH layer = choose_layer(ds.get(), options.source, options.layer);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  const std::string driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds.get()));

  core::Collection meta;
  meta.id = options.collection;
  meta.title = options.title.empty() ? options.collection : options.title;
  meta.description = options.description;
  meta.keywords = options.keywords;
  meta.licence = options.licence;
  meta.attribution = options.attribution;
  meta.properties = read_properties(defn);
  // Shapefiles mix polygons and multipolygons in one layer: store them all as multi.
  const bool promote = driver == "ESRI Shapefile";
  meta.geometry_type = geometry_type_name(OGR_L_GetGeomType(layer), promote);
  for (const auto& name : options.required_properties)
    if (!meta.property(name))
      throw ImportError("'" + options.source + "' has no field '" + name + "' for the attribute index declared in " +
                        "[features.collections." + options.collection + "] indexes");
  if (options.temporal_property) {
    if (!meta.property(*options.temporal_property))
      throw ImportError("no field '" + *options.temporal_property + "' for the time property");
    meta.temporal_property = options.temporal_property;
  } else {
    for (auto wanted : {core::PropertyType::DateTime, core::PropertyType::Date}) {
      for (const auto& p : meta.properties)
        if (!meta.temporal_property && p.type == wanted) meta.temporal_property = p.name;
    }
  }

  std::unique_ptr<void, void (*)(void*)> transform(
      to_crs84(layer), [](void* ct) { if (ct) OCTDestroyCoordinateTransformation(static_cast<OGRCoordinateTransformationH>(ct)); });
  auto writer = store.replace_collection(meta);

  const GIntBig total = OGR_L_GetFeatureCount(layer, FALSE);
  std::vector<core::Value> values(meta.properties.size());
  std::vector<std::string> texts(meta.properties.size());
  std::vector<std::uint8_t> wkb;
  std::int64_t count = 0;
  OGR_L_ResetReading(layer);
  CPLErrorReset();
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    std::unique_ptr<void, void (*)(void*)> guard(f, [](void* p) { OGR_F_Destroy(static_cast<OGRFeatureH>(p)); });
    wkb.clear();
    if (OGRGeometryH g = OGR_F_GetGeometryRef(f); g && !OGR_G_IsEmpty(g)) {
      if (transform && OGR_G_Transform(g, static_cast<OGRCoordinateTransformationH>(transform.get())) != OGRERR_NONE)
        throw ImportError("feature " + std::to_string(OGR_F_GetFID(f)) + ": cannot transform its geometry to WGS 84");
      if (promote) {
        const auto flat = wkbFlatten(OGR_G_GetGeometryType(g));
        if (flat == wkbPolygon) g = OGR_G_ForceToMultiPolygon(OGR_F_StealGeometry(f)), OGR_F_SetGeometryDirectly(f, g);
        else if (flat == wkbLineString) g = OGR_G_ForceToMultiLineString(OGR_F_StealGeometry(f)), OGR_F_SetGeometryDirectly(f, g);
      }
      wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
      OGR_G_ExportToIsoWkb(g, wkbNDR, wkb.data());
    }
    for (size_t i = 0; i < meta.properties.size(); ++i) {
      const int fi = static_cast<int>(i);
      auto& v = values[i];
      if (!OGR_F_IsFieldSetAndNotNull(f, fi)) {
        v.kind = core::Value::Kind::Null;
        continue;
      }
      switch (meta.properties[i].type) {
        case core::PropertyType::Integer:
        case core::PropertyType::Boolean:
          v.kind = core::Value::Kind::Integer;
          v.integer = OGR_F_GetFieldAsInteger64(f, fi);
          break;
        case core::PropertyType::Real:
          v.kind = core::Value::Kind::Real;
          v.real = OGR_F_GetFieldAsDouble(f, fi);
          break;
        case core::PropertyType::Date:
        case core::PropertyType::DateTime:
          texts[i] = datetime_text(f, fi, meta.properties[i].type == core::PropertyType::Date);
          v.kind = core::Value::Kind::Text;
          v.text = texts[i];
          break;
        case core::PropertyType::Text:
          texts[i] = OGR_F_GetFieldAsString(f, fi);
          v.kind = core::Value::Kind::Text;
          v.text = texts[i];
          break;
      }
    }
    writer->add(wkb, values);
    ++count;
    if (progress && total > 0 && count % 1000 == 0) progress(static_cast<double>(count) / static_cast<double>(total));
  }
  if (CPLGetLastErrorType() >= CE_Failure)
    throw ImportError("reading '" + options.source + "' failed after " + std::to_string(count) +
                      " features: " + CPLGetLastErrorMsg());
  writer->commit();
  if (progress) progress(1.0);
  return count;
}

UploadedDataset read_dataset(const core::Collection& collection, const ImportOptions& options) {
  Dataset ds = open_source(options.source);
  OGRLayerH layer = choose_layer(ds.get(), options.source, options.layer);
  UploadLimits limits;
  limits.max_features = std::numeric_limits<std::size_t>::max();  // an administrator's file, not an upload
  return read_upload_layer(collection, layer, limits);
}

}  // namespace amis::ingest
