#include "api/common/downloads.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/returned_features.hpp"
#include "encode/csv_writer.hpp"
#include "encode/kml_writer.hpp"
#include "encode/ogr_writer.hpp"

namespace amis::api {
namespace {

// A private temporary directory, removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "amis-download-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw core::ServerError("cannot create a temporary directory");
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

http::Headers attachment(const core::Collection& c, const DownloadFormat& f) {
  return {{"Content-Disposition", "attachment; filename=\"" + c.id + "." + f.extension + "\""}};
}

}  // namespace

const std::vector<DownloadFormat>& download_formats() {
  static const std::vector<DownloadFormat> formats = {
      {"csv", "text/csv; charset=utf-8", "csv", nullptr, "CSV"},
      {"kml", "application/vnd.google-earth.kml+xml", "kml", nullptr, "KML"},
      {"shapezip", "application/zip", "shp.zip", "shapezip", "Shapefile (zip)"},
      {"gpkg", "application/geopackage+sqlite3", "gpkg", "gpkg", "GeoPackage"},
      {"fgb", "application/flatgeobuf", "fgb", "fgb", "FlatGeobuf"}};
  return formats;
}

const DownloadFormat* find_download_format(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != ' ') n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "shape-zip" || n == "shp" || n == "shapefile" || n == "application/x-zipped-shp") n = "shapezip";
  if (n == "text/csv") n = "csv";
  if (n == "geopackage") n = "gpkg";
  if (n == "flatgeobuf") n = "fgb";
  for (const auto& f : download_formats()) {
    std::string media;
    for (char c : std::string_view(f.media_type))
      if (c != ' ') media += c;
    if (n == f.name || n == media) return &f;
  }
  return nullptr;
}

void send_download(store::Store& store, const core::Collection& collection, const core::FeatureQuery& query,
                   const DownloadFormat& format, http::Response& response) {
  if (!format.ogr_format) {
    auto& out = response.stream(200, format.media_type, attachment(collection, format));
    const core::Collection output = core::project(collection, query.properties);
    std::unique_ptr<core::FeatureSink> sink;
    if (std::string_view(format.name) == "csv") sink = std::make_unique<encode::CsvFeatureWriter>(out);
    else sink = std::make_unique<encode::KmlFeatureWriter>(out);
    sink->begin(output);
    core::ReturnedFeatures::add(store.features(collection, query, *sink));
    sink->end();
    return;
  }
  if (query.limit > kMaxFileDownloadFeatures) {
    const std::int64_t n = std::max<std::int64_t>(0, store.count(collection, query) - query.offset);
    if (n > kMaxFileDownloadFeatures)
      throw core::InvalidParameter("outputFormat",
                                   std::to_string(n) + " features are more than a " + format.name + " download holds (" +
                                       std::to_string(kMaxFileDownloadFeatures) +
                                       "); narrow the request or use GeoJSON, GML or CSV, which stream");
  }
  const encode::OgrFormat* ogr = encode::find_ogr_format(format.ogr_format);
  TemporaryDirectory directory;
  const auto file = directory.path() / (collection.id + "." + format.extension);
  const core::Collection output = core::project(collection, query.properties);
  try {
    encode::OgrFileWriter writer(*ogr, file.string());
    writer.begin(output);
    core::ReturnedFeatures::add(store.features(collection, query, writer));
    writer.end();
  } catch (const encode::OgrWriteError& e) {
    throw core::ServerError(std::string("writing a ") + format.name + " download: " + e.what());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw core::ServerError("the " + std::string(format.name) + " download was not written");
  auto& out = response.stream(200, format.media_type, attachment(collection, format));
  std::string chunk(64 * 1024, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (in.gcount() > 0) out.write(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
  }
}

}  // namespace amis::api
