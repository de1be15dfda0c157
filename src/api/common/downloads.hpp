#pragma once
// Feature downloads in the formats users ask for, the same for WFS GetFeature
// (outputFormat) and OGC API items (f=): CSV and KML streamed as they are read;
// zipped Shapefile, GeoPackage and FlatGeobuf written by GDAL to a temporary
// file (removed afterwards, bounded in features) and then streamed.
#include <string_view>

#include "core/collection.hpp"
#include "core/feature_query.hpp"
#include "http/response.hpp"
#include "store/store.hpp"

namespace amis::api {

struct DownloadFormat {
  const char* name;        // the f= value: "csv", "kml", "shapezip", "gpkg", "fgb"
  const char* media_type;  // Content-Type, and the WFS outputFormat
  const char* extension;   // of the attachment's file name
  const char* ogr_format;  // encode::find_ogr_format name; nullptr: streamed natively
  const char* title;       // the format's name for people (catalogue records, the format facet)
};

// By f= name, media type or a WFS-style alias ("shape-zip", "SHAPE-ZIP");
// nullptr when none matches.
const DownloadFormat* find_download_format(std::string_view name);
const std::vector<DownloadFormat>& download_formats();

// A file format holds at most this many features (its file is written to disk).
inline constexpr std::int64_t kMaxFileDownloadFeatures = 1'000'000;

// Sends the features of `query` as an attachment named after the collection.
// @throws core::OgcError (400) when a file format would exceed its bound.
void send_download(store::Store& store, const core::Collection& collection, const core::FeatureQuery& query,
                   const DownloadFormat& format, http::Response& response);

}  // namespace amis::api
