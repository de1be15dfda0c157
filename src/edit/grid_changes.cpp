// ChangeService's grids (grid_changes.hpp): uploads replacing a coverage's file,
// their approval, rejection and the coverage's versions.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "coverage/grid_import.hpp"
#include "edit/change_service.hpp"

namespace amis::edit {
namespace {

namespace fs = std::filesystem;

// A file name no other upload takes: "<coverage>.v<16 hex digits>.tif".
std::string version_file_name(const std::string& coverage) {
  std::random_device random;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x%08x", random(), random());
  return coverage + ".v" + hex + ".tif";
}

nlohmann::json bands_json(const std::vector<store::RasterBand>& bands) {
  auto out = nlohmann::json::array();
  for (const auto& b : bands)
    out.push_back({{"name", b.name}, {"unit", b.unit}, {"description", b.description}, {"data_type", b.data_type},
                   {"nodata", b.nodata ? nlohmann::json(*b.nodata) : nlohmann::json()}, {"min", b.min},
                   {"max", b.max}});
  return out;
}

std::vector<store::RasterBand> bands_of(const nlohmann::json& doc) {
  std::vector<store::RasterBand> out;
  for (const auto& b : doc) {
    store::RasterBand band{b.at("name"), b.at("unit"), b.at("description"), b.at("data_type"), std::nullopt,
                           b.at("min"), b.at("max")};
    if (!b.at("nodata").is_null()) band.nodata = b.at("nodata").get<double>();
    out.push_back(std::move(band));
  }
  return out;
}

core::Envelope extent_of(const nlohmann::json& e) {
  return {e.at(0).get<double>(), e.at(1).get<double>(), e.at(2).get<double>(), e.at(3).get<double>()};
}

// The coverage's own labels, used when the new grid has as many bands: a
// replaced grid keeps what its bands mean; otherwise the upload's own.
coverage::BandLabels labels_for(const store::RasterLayer& raster) {
  coverage::BandLabels labels;
  labels.only_if_they_fit = true;
  for (const auto& b : raster.bands) {
    labels.names.push_back(b.name);
    labels.units.push_back(b.unit);
    labels.descriptions.push_back(b.description);
  }
  return labels;
}

}  // namespace

WriteResult ChangeService::upload_grid(const auth::Principal& who, const store::RasterLayer& raster,
                                       std::string_view bytes, const std::string& extension,
                                       const std::string& title) {
  policy_.check_grid_write(who, raster.id, raster.country);
  const fs::path folder = fs::path(raster.path).parent_path();
  const std::string file = version_file_name(raster.id);
  // The bytes as a file for GDAL (some drivers read only files), beside the
  // coverage's, removed whatever happens.
  const fs::path upload = folder / ("." + file + ".upload" + extension);
  struct Removed {
    const fs::path& path;
    ~Removed() {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
  } removed{upload};
  {
    std::ofstream out(upload, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw std::runtime_error("cannot write the uploaded grid beside " + raster.path);
  }
  const auto grid = coverage::import_grid(upload, labels_for(raster), folder / file, "file");
  Change change;
  change.operation = Operation::Replace;
  change.base = fs::path(raster.path).filename().string();
  change.after.properties = {{"grid", file},
                             {"width", grid.width},
                             {"height", grid.height},
                             {"driver", grid.driver},
                             {"crs", grid.crs},
                             {"extent", {grid.extent.min_x, grid.extent.min_y, grid.extent.max_x, grid.extent.max_y}},
                             {"bands", bands_json(grid.bands)},
                             // What the replaced grid's bands were, for serving it as a past version.
                             {"replaced_bands", bands_json(raster.bands)},
                             {"replaced_extent",
                              {raster.extent.min_x, raster.extent.min_y, raster.extent.max_x, raster.extent.max_y}}};
  try {
    return submit_changes(who, std::string(kGridChangeSets) + raster.id, {change},
                          title.empty() ? "New grid for " + raster.id : title, std::nullopt);
  } catch (...) {
    std::error_code ignored;
    fs::remove(folder / file, ignored);
    throw;
  }
}

std::vector<Conflict> ChangeService::apply_grid(const ChangeSet& cs, const std::string& reviewer,
                                                const std::string& comment) {
  const auto changes = change_sets_.changes(cs.id);
  auto raster = store_.raster(grid_coverage(cs));
  if (!raster) return {{0, "coverage '" + grid_coverage(cs) + "' no longer exists", {}}};
  if (changes.size() != 1) return {{0, "a grid change set holds one grid", {}}};
  const auto& change = changes.front();
  const fs::path folder = fs::path(raster->path).parent_path();
  const std::string now = fs::path(raster->path).filename().string();
  if (now != change.base)
    return {{0, "the grid of '" + raster->id + "' was replaced since this one was uploaded (now " + now + ")", {}}};
  const auto& after = change.after.properties;
  const std::string file = after.at("grid");
  if (!fs::is_regular_file(folder / file)) return {{0, "the uploaded grid " + file + " is gone", {}}};
  const store::RasterLayer before = *raster;
  raster->bands = bands_of(after.at("bands"));
  raster->extent = extent_of(after.at("extent"));
  raster->min = raster->bands.front().min;
  raster->max = raster->bands.front().max;
  raster->path = "rasters/" + file;  // relative to the store's folder, as `amis raster add` records it
  // Conditional on the grid this one was based on, in the store's transaction:
  // of two approvals racing on one coverage (two threads, two nodes), the later
  // finds another grid there and is refused; its change set stays submitted.
  if (!store_.replace_grid(*raster, change.base))
    return {{0, "the grid of '" + raster->id + "' was replaced by another approval since this one was uploaded", {}}};
  if (!change_sets_.transition(cs.id, ChangeSetState::Submitted, ChangeSetState::Approved, reviewer, comment)) {
    // Approved or rejected meanwhile by someone else: put the grid back as it was.
    auto back = before;
    back.path = "rasters/" + now;
    if (!store_.replace_grid(back, file))
      spdlog::error("coverage {}: grid {} could not be put back after change set {} was decided elsewhere",
                    raster->id, now, cs.id);
    throw core::Conflict("change set " + std::to_string(cs.id) + " is not submitted");
  }
  change_sets_.audit(reviewer, "approve", "change set " + std::to_string(cs.id),
                     "coverage " + raster->id + ": grid " + now + " replaced by " + file);
  if (published_) published_(cs);
  return {};
}

void ChangeService::discard_grid(const ChangeSet& cs) {
  const auto raster = store_.raster(grid_coverage(cs));
  if (!raster) return;
  const fs::path folder = fs::path(raster->path).parent_path();
  for (const auto& change : change_sets_.changes(cs.id)) {
    const auto it = change.after.properties.find("grid");
    if (it == change.after.properties.end() || !it->is_string()) continue;
    const fs::path file = folder / it->get<std::string>();
    if (file == fs::path(raster->path)) continue;  // never the served grid
    std::error_code error;
    fs::remove(file, error);
    if (error) spdlog::warn("grid of rejected change set {} not removed: {}", cs.id, error.message());
  }
}

std::vector<GridVersion> ChangeService::grid_history(const store::RasterLayer& raster) {
  store::ChangeSetFilter filter;
  filter.collection = std::string(kGridChangeSets) + raster.id;
  filter.state = ChangeSetState::Approved;
  filter.limit = 1000;
  auto approved = change_sets_.change_sets(filter);
  std::sort(approved.begin(), approved.end(), [](const ChangeSet& a, const ChangeSet& b) { return a.id < b.id; });
  const std::string current = fs::path(raster.path).filename().string();
  std::vector<GridVersion> out;
  for (const auto& cs : approved) {
    const auto changes = change_sets_.changes(cs.id);
    if (changes.size() != 1) continue;
    if (out.empty()) out.push_back({0, std::nullopt, "", "", changes.front().base, false});
    out.push_back({static_cast<std::int64_t>(out.size()), cs.id, cs.author, cs.reviewed,
                   changes.front().after.properties.value("grid", std::string()), false});
  }
  if (out.empty()) out.push_back({0, std::nullopt, "", "", current, false});
  for (auto& v : out) v.current = v.file == current;
  return out;
}

namespace {

const GridVersion* version_at(const std::vector<GridVersion>& versions, std::optional<std::int64_t> number,
                              const std::string& instant) {
  if (number) {
    for (const auto& v : versions)
      if (v.number == *number) return &v;
    return nullptr;
  }
  const GridVersion* found = &versions.front();
  for (const auto& v : versions)
    if (v.number > 0 && v.time <= instant && v.time >= found->time) found = &v;
  return found;
}

}  // namespace

std::optional<store::RasterLayer> ChangeService::past_grid(const store::RasterLayer& now,
                                                           std::optional<std::int64_t> number,
                                                           const std::string& instant) {
  const auto versions = grid_history(now);
  const GridVersion* wanted = version_at(versions, number, instant);
  if (!wanted) return std::nullopt;
  store::RasterLayer out = now;
  out.path = (fs::path(now.path).parent_path() / wanted->file).string();
  if (!fs::is_regular_file(out.path)) return std::nullopt;
  // Its bands: those its change recorded; version 0's, recorded by the change
  // that replaced it (none in change sets from before they were: the current ones).
  const auto& describer = wanted->change_set ? *wanted : versions.size() > 1 ? versions[1] : *wanted;
  if (!describer.change_set) return out;
  const auto changes = change_sets_.changes(*describer.change_set);
  if (changes.size() != 1) return out;
  const auto& after = changes.front().after.properties;
  const char* bands = wanted->change_set ? "bands" : "replaced_bands";
  const char* extent = wanted->change_set ? "extent" : "replaced_extent";
  if (after.contains(bands) && after.contains(extent) && !after.at(bands).empty()) {
    out.bands = bands_of(after.at(bands));
    out.extent = extent_of(after.at(extent));
    out.min = out.bands.front().min;
    out.max = out.bands.front().max;
  }
  return out;
}

}  // namespace amis::edit
