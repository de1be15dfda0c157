#include "store/store_copy.hpp"

#include <filesystem>
#include <limits>
#include <vector>

namespace amis::store {
namespace {

// Pushes each feature into the writer under its own id.
class WriterSink final : public core::FeatureSink {
 public:
  explicit WriterSink(CollectionWriter& writer) : writer_(writer) {}
  void begin(const core::Collection&) override {}
  void feature(const core::FeatureView& f) override {
    writer_.add_with_id(f.id, f.wkb, f.values);
    ++count;
  }
  void end() override {}
  std::int64_t count = 0;

 private:
  CollectionWriter& writer_;
};

class CountingSink final : public RowSink {
 public:
  explicit CountingSink(RowSink& next) : next_(next) {}
  void row(std::span<const Cell> cells) override {
    next_.row(cells);
    ++count;
  }
  std::int64_t count = 0;

 private:
  RowSink& next_;
};

std::int64_t copy_collection(const core::Collection& c, CopyEnd& from, CopyEnd& to) {
  auto writer = to.store.features->replace_collection(c);
  WriterSink sink(*writer);
  core::FeatureQuery all;
  all.collection = c.id;
  all.limit = std::numeric_limits<std::int64_t>::max();
  from.store.features->features(c, all, sink);
  writer->commit();
  to.dump.restore_collection(c);
  to.dump.set_last_feature_id(c, from.dump.last_feature_id(c));
  const auto indexes = from.dump.attribute_indexes(c);
  if (!indexes.empty()) to.store.features->create_attribute_indexes(c, indexes);
  return sink.count;
}

std::int64_t copy_table(const DumpTable& table, CopyEnd& from, CopyEnd& to) {
  auto loader = to.dump.load(table);
  CountingSink counted(*loader);
  from.dump.read(table, counted);
  loader->commit();
  if (!table.id_column.empty()) to.dump.set_last_id(table, from.dump.last_id(table));
  return counted.count;
}

// Every record goes in as it is (with its `updated`); then, when the original's
// derived records were current, the copy's are marked current too, so that a
// server on the copy does not make them again with new times.
class RecordCopier final : public RecordSink {
 public:
  explicit RecordCopier(RecordWriter& writer) : writer_(writer) {}
  void record(const catalog::Record& r) override {
    writer_.put(r);
    if (r.origin == catalog::RecordOrigin::Derived) derived.push_back(r);  // one per collection, style, raster
    ++count;
  }
  std::vector<catalog::Record> derived;
  std::int64_t count = 0;

 private:
  RecordWriter& writer_;
};

std::int64_t copy_records(CopyEnd& from, CopyEnd& to) {
  CatalogStore& source = *from.store.catalog;
  CatalogStore& target = *to.store.catalog;
  const bool current = source.derived_version() == source.sources_version();
  auto writer = target.writer();
  RecordCopier copier(*writer);
  catalog::CatalogQuery all;
  all.limit = std::nullopt;
  source.search(all, copier);
  writer->commit();
  if (current) target.replace_derived(copier.derived, target.sources_version());
  return copier.count;
}

// A raster layer's file, when the copy's folder is not the original's.
bool copy_raster_file(const std::filesystem::path& source, const CopyEnd& from, const CopyEnd& to) {
  const auto relative = source.lexically_relative(from.folder);
  if (relative.empty() || relative.begin()->string() == "..") return false;  // not in the store's folder
  const auto target = to.folder / relative;
  if (std::filesystem::weakly_canonical(target) == std::filesystem::weakly_canonical(source)) return false;
  if (!std::filesystem::exists(source)) return false;
  std::filesystem::create_directories(target.parent_path());
  std::filesystem::copy_file(source, target, std::filesystem::copy_options::overwrite_existing);
  return true;
}

// The grids a raster layer keeps beside its file (edit/grid_changes.cpp): its
// earlier versions and the uploads waiting for review, "<id>.v<16 hex digits>.tif",
// and the grid as added ("<id>.tif"); the change sets copied with the tables name them.
std::vector<std::filesystem::path> kept_grids(const RasterLayer& raster) {
  std::vector<std::filesystem::path> out;
  const auto folder = std::filesystem::path(raster.path).parent_path();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const auto name = entry.path().filename().string();
    const bool version = name.starts_with(raster.id + ".v") && name.ends_with(".tif") &&
                         name.size() == raster.id.size() + 2 + 16 + 4;
    if (entry.is_regular_file() && (version || name == raster.id + ".tif"))
      out.push_back(entry.path());
  }
  return out;
}

std::string thousands(std::int64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

CopyCounts copy_store(CopyEnd from, CopyEnd to, const CopyProgress& progress) {
  CopyCounts counts;
  for (const auto& c : from.store.features->collections()) {
    const std::int64_t n = copy_collection(c, from, to);
    progress("collection " + c.id + ": " + thousands(n) + " features");
    ++counts.collections;
    counts.features += n;
  }
  // After the collections: a new collection starts with no versions, and the
  // copied versions must stay.
  for (const auto& table : dump_tables()) {
    const std::int64_t n = copy_table(table, from, to);
    progress(table.name + ": " + thousands(n) + " rows");
    counts.rows += n;
  }
  for (const auto& raster : from.store.features->rasters()) {
    // Absolute, as the store gives it; a kept earlier grid may be the current one.
    const std::filesystem::path current(raster.path);
    if (copy_raster_file(current, from, to)) ++counts.raster_files;
    for (const auto& kept : kept_grids(raster))
      if (kept != current && copy_raster_file(kept, from, to)) ++counts.raster_files;
  }
  counts.records = copy_records(from, to);
  progress("catalogue: " + thousands(counts.records) + " records");
  return counts;
}

}  // namespace amis::store
