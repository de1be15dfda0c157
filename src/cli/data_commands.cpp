#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>

#include "cli/commands.hpp"
#include "encode/ogr_writer.hpp"
#include "store/gpkg/gpkg_store.hpp"

namespace amis::cli {
namespace {

void progress_bar(double fraction) {
  const int width = 40;
  const int filled = static_cast<int>(fraction * width);
  std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled, "========================================",
               width - filled, "", static_cast<int>(fraction * 100));
  if (fraction >= 1.0) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace

int import_file(const std::string& store_path, const ingest::ImportOptions& options) {
  if (!std::filesystem::exists(options.source) && options.source.find(':') == std::string::npos) {
    std::cerr << "amis: cannot read '" << options.source << "': no such file\n";
    return 1;
  }
  store::gpkg::GpkgStore store(store_path);
  std::function<void(double)> progress;
  if (::isatty(STDERR_FILENO)) progress = progress_bar;
  try {
    const auto count = ingest::import_dataset(store, options, progress);
    std::cout << "imported " << count << " features into '" << options.collection << "'\n";
    return 0;
  } catch (const ingest::ImportError& e) {
    if (progress) std::fprintf(stderr, "\n");
    std::cerr << "amis: " << e.what() << "\n";
    return 1;
  }
}

int export_collection(const std::string& store_path, const std::string& id,
                      const std::string& format_name, const std::string& path) {
  const auto* format = encode::find_ogr_format(format_name);
  if (!format) {
    std::cerr << "amis: unknown format '" << format_name << "' (use one of " << encode::ogr_format_names() << ")\n";
    return 1;
  }
  store::gpkg::GpkgStore store(store_path);
  auto collection = store.collection(id);
  if (!collection) {
    std::cerr << "amis: no collection '" << id << "' in " << store_path << "\n";
    return 1;
  }
  try {
    encode::OgrFileWriter writer(*format, path);
    core::FeatureQuery all;
    all.collection = id;
    all.limit = std::numeric_limits<std::int64_t>::max();
    writer.begin(*collection);
    const auto count = store.features(*collection, all, writer);
    writer.end();
    std::cout << "exported " << count << " features to " << path << "\n";
    return 0;
  } catch (const encode::OgrWriteError& e) {
    std::cerr << "amis: " << e.what() << "\n";
    return 1;
  }
}

int list_collections(const std::string& store_path) {
  if (!std::filesystem::exists(store_path)) {
    std::cerr << "amis: no store at " << store_path << "\n";
    return 1;
  }
  store::gpkg::GpkgStore store(store_path);
  for (const auto& c : store.collections())
    std::cout << c.id << "\t" << c.feature_count << "\t" << c.geometry_type << "\t" << c.title << "\n";
  return 0;
}

}  // namespace amis::cli
