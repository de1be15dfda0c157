#pragma once
// Imports any vector dataset OGR reads (GeoJSON, Shapefile and zipped Shapefile,
// GeoPackage, KML, GML, CSV with WKT or lon/lat columns, FlatGeobuf, ...) into a
// collection, reprojected to CRS84, in one transaction: a failed or interrupted
// import leaves the store as it was.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ingest/upload_reader.hpp"
#include "store/store.hpp"

namespace amis::ingest {

struct ImportOptions {
  std::string source;      // a file path (or any GDAL dataset name)
  std::string layer;       // empty: the only layer of the source
  std::string collection;  // the collection id to create or replace
  std::string title;
  std::string description;
  std::vector<std::string> keywords;
  std::string licence;
  std::string attribution;
  std::optional<std::string> temporal_property;  // default: the first date-time field
  // Properties the collection must have (declared attribute indexes): checked
  // before anything is written, so a wrong amis.toml never costs the old collection.
  std::vector<std::string> required_properties;
};

struct ImportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `progress` receives the fraction done (0..1) now and then.
// @throws ImportError with a one-line message for unreadable sources, unknown
// layers or fields; InvalidParameter for an invalid collection id.
std::int64_t import_dataset(store::Store& store, const ImportOptions& options,
                            const std::function<void(double)>& progress = {});

// The features of `options.source` (its `options.layer`) in the terms of an
// existing collection, checked as an upload's are: what a re-import by key
// compares with the published features.
// @throws ImportError for an unreadable source or layer; core::InvalidValue for
// fields the collection lacks or values that do not fit its properties.
UploadedDataset read_dataset(const core::Collection& collection, const ImportOptions& options);

}  // namespace amis::ingest
