#include "coverage/cog_writer.hpp"

#include <gdal_utils.h>

#include <set>
#include <stdexcept>

#include "coverage/gdal_handles.hpp"

namespace amis::coverage {
namespace {

std::string safe_name(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    out += ok ? c : '_';
  }
  return out;
}

std::string metadata(GDALRasterBandH band, const char* key) {
  const char* v = GDALGetMetadataItem(band, key, nullptr);
  return v ? v : "";
}

}  // namespace

std::vector<store::RasterBand> read_bands(GDALDatasetH source, const BandLabels& labels) {
  const int count = GDALGetRasterCount(source);
  if (count < 1) throw std::runtime_error("the raster has no band");
  for (const auto* list : {&labels.names, &labels.units, &labels.descriptions})
    if (!list->empty() && list->size() != static_cast<std::size_t>(count))
      throw std::runtime_error("the raster has " + std::to_string(count) +
                               " bands: give as many band names, units and descriptions, or none");
  std::vector<store::RasterBand> out;
  std::set<std::string> taken;
  for (int i = 1; i <= count; ++i) {
    GDALRasterBandH band = GDALGetRasterBand(source, i);
    const auto at = static_cast<std::size_t>(i - 1);
    store::RasterBand b;
    b.name = safe_name(!labels.names.empty() ? labels.names[at] : GDALGetDescription(band));
    if (b.name.empty() || b.name.front() == '-' || b.name.front() == '.') b.name = "band" + std::to_string(i);
    if (!taken.insert(b.name).second) throw std::runtime_error("two bands are called '" + b.name + "'");
    b.unit = !labels.units.empty() ? labels.units[at] : GDALGetRasterUnitType(band);
    if (b.unit.empty()) b.unit = metadata(band, "units");
    b.description = !labels.descriptions.empty() ? labels.descriptions[at] : metadata(band, "long_name");
    b.data_type = GDALGetDataTypeName(GDALGetRasterDataType(band));
    int has_nodata = 0;
    const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
    if (has_nodata) b.nodata = nodata;
    double range[2] = {0, 0};
    if (GDALComputeRasterMinMax(band, FALSE, range) != CE_None)
      throw std::runtime_error("cannot read the values of band " + std::to_string(i));
    b.min = range[0];
    b.max = range[1];
    out.push_back(std::move(b));
  }
  return out;
}

void write_cog(GDALDatasetH source, const std::vector<store::RasterBand>& bands, const std::filesystem::path& target) {
  const auto temporary = target.parent_path() / ("." + target.filename().string() + ".part");
  // A virtual copy carries the labels into the COG (its band descriptions, units
  // and metadata) without touching the source.
  const char* vrt_args[] = {"-of", "VRT", nullptr};
  GDALTranslateOptions* vrt_options = GDALTranslateOptionsNew(const_cast<char**>(vrt_args), nullptr);
  int failed = 0;
  Dataset labelled(GDALTranslate("", source, vrt_options, &failed));
  GDALTranslateOptionsFree(vrt_options);
  if (!labelled || failed) throw std::runtime_error("GDAL cannot read the raster");
  for (std::size_t i = 0; i < bands.size(); ++i) {
    GDALRasterBandH band = GDALGetRasterBand(labelled.get(), static_cast<int>(i + 1));
    GDALSetDescription(band, bands[i].name.c_str());
    GDALSetRasterUnitType(band, bands[i].unit.c_str());
    if (!bands[i].description.empty()) GDALSetMetadataItem(band, "DESCRIPTION", bands[i].description.c_str(), nullptr);
  }
  const char* options[] = {"COMPRESS=DEFLATE", "BLOCKSIZE=512", "OVERVIEWS=IGNORE_EXISTING", "RESAMPLING=AVERAGE",
                           "BIGTIFF=IF_SAFER", nullptr};
  GDALDriverH cog = GDALGetDriverByName("COG");
  if (!cog) throw std::runtime_error("this GDAL has no COG driver");
  Dataset copy(GDALCreateCopy(cog, temporary.c_str(), labelled.get(), FALSE, const_cast<char**>(options), nullptr,
                              nullptr));
  if (!copy) {
    std::filesystem::remove(temporary);
    throw std::runtime_error("cannot write " + temporary.string() + ": " + CPLGetLastErrorMsg());
  }
  copy.reset();
  std::filesystem::rename(temporary, target);
}

}  // namespace amis::coverage
