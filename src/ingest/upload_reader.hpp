#pragma once
// A dataset uploaded by an editor (issue 6), read into features of a
// collection: GeoJSON, GeoPackage, FlatGeobuf, KML, CSV, or a zip holding one
// of them or a Shapefile. Only those GDAL drivers are allowed (no VRT, no
// network), a zip is checked before it is read (entry names, count, unpacked
// size and ratio: no traversal, no zip bomb), and every feature is checked as
// an API write is (edit::checked_geometry, edit::checked_properties).
#include <ogr_api.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "edit/change_set.hpp"
#include "edit/upload_plan.hpp"

namespace amis::ingest {

struct UploadLimits {
  std::uint64_t max_unpacked_bytes = 512ull << 20;  // of a zip's entries together
  std::size_t max_entries = 1000;
  double max_ratio = 200;  // unpacked / packed size of a zip
  std::size_t max_features = 250000;
};

struct UploadedDataset {
  bool has_geometry = true;  // false for a table without geometry (a CSV of attributes)
  std::vector<edit::UploadedFeature> features;  // every property present, null where not given
};

// @throws core::InvalidValue or core::ParsingFailed (400) for a file that is
// not a readable dataset, is unsafe, or holds what the collection does not.
UploadedDataset read_upload(const core::Collection& collection, std::string_view bytes,
                            const UploadLimits& limits = {});

// The features of a layer already open (any driver: `amis import --key` reads
// what an administrator names), checked as an upload's are. @throws as read_upload.
UploadedDataset read_upload_layer(const core::Collection& collection, OGRLayerH layer, const UploadLimits& limits);

}  // namespace amis::ingest
