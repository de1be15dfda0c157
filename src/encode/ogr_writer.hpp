#pragma once
// Writes features to any vector format GDAL writes (GeoPackage, Shapefile,
// FlatGeobuf, GeoJSON, CSV, KML, GML), one feature at a time.
#include <memory>
#include <string>
#include <vector>

#include "core/feature_sink.hpp"

namespace amis::encode {

struct OgrFormat {
  const char* name;    // what users type: "gpkg", "shp", ...
  const char* driver;  // the GDAL driver
  const char* extension;
};

// The formats `amis export` offers. @returns nullptr for an unknown name.
const OgrFormat* find_ogr_format(std::string_view name);
std::string ogr_format_names();  // "geojson, gpkg, ..." for messages

struct OgrWriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class OgrFileWriter final : public core::FeatureSink {
 public:
  // @throws OgrWriteError when the file cannot be created.
  OgrFileWriter(const OgrFormat& format, std::string path);
  ~OgrFileWriter() override;
  void begin(const core::Collection& collection) override;
  void feature(const core::FeatureView& feature) override;
  // Closes the file. @throws OgrWriteError when it cannot be completed.
  void end() override;

 private:
  const OgrFormat& format_;
  std::string path_;
  void* dataset_ = nullptr;
  void* layer_ = nullptr;
  const core::Collection* collection_ = nullptr;
  std::vector<int> field_index_;  // OGR field of each property (KML adds Name, Description first)
};

}  // namespace amis::encode
