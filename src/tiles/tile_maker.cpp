#include "tiles/tile_maker.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <memory>

#include "core/returned_features.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/mvt_writer.hpp"
#include "encode/tile_geometry.hpp"
#include "render/render_gate.hpp"

namespace amis::tiles {
namespace {

constexpr int kExtent = 4096;
constexpr int kBuffer = 64;  // 1/64 of the tile: symbols at the seams are whole
// Half a tile unit: at most 1/16 of a pixel at 512 pixels a tile, and it takes the
// countries' z2 tiles from 13,000 vertices to a fraction.
constexpr double kSimplify = 0.5;

// What a tile is made of: the layers and the versions of their data.
std::string layers_and_versions(const std::vector<core::Collection>& layers) {
  std::string out;
  for (const auto& c : layers) out += c.id + '@' + c.updated + ';';
  return out;
}

const char* extension(render::ImageFormat format) {
  switch (format) {
    case render::ImageFormat::Png32: return "png";
    case render::ImageFormat::Png8: return "png8";
    case render::ImageFormat::Jpeg: return "jpg";
    case render::ImageFormat::Webp: return "webp";
  }
  return "png";
}

}  // namespace

core::Envelope tile_crs84_box(const TileMatrixSet& set, const core::Envelope& b, double margin) {
  const double mx = (b.max_x - b.min_x) * margin, my = (b.max_y - b.min_y) * margin;
  core::Envelope wide{b.min_x - mx, b.min_y - my, b.max_x + mx, b.max_y + my};
  if (!set.crs.is_crs84()) {
    const auto world = set.bounds();
    wide = {std::max(wide.min_x, world.min_x), std::max(wide.min_y, world.min_y), std::min(wide.max_x, world.max_x),
            std::min(wide.max_y, world.max_y)};
    const encode::CoordinateTransform inverse(set.crs, "tileMatrixSet", true, true);
    wide = inverse.to_crs84_bounds(wide.min_x, wide.min_y, wide.max_x, wide.max_y);
    // The rows at the top and bottom of Web Mercator reach the poles' data.
    if (b.max_y >= world.max_y) wide.max_y = 90;
    if (b.min_y <= world.min_y) wide.min_y = -90;
  }
  return {std::max(-180.0, wide.min_x), std::max(-90.0, wide.min_y), std::min(180.0, wide.max_x),
          std::min(90.0, wide.max_y)};
}

std::string TileMaker::vector_tile(const TileMatrixSet& set, const TileAddress& tile,
                                   const std::vector<core::Collection>& layers,
                                   const std::shared_ptr<const core::Expression>& filter) {
  if (!cache_ || filter) return make_vector_tile(set, tile, layers, filter);
  // "mvt2": polygons simplified; tiles cached before that are not served again.
  const auto key = tile_key("mvt2", set.id, layers_and_versions(layers), tile.level, tile.row, tile.col, "mvt");
  if (auto hit = cache_->get(key)) return std::move(*hit);
  auto bytes = make_vector_tile(set, tile, layers, nullptr);
  cache_->put(key, bytes);
  return bytes;
}

std::string TileMaker::make_vector_tile(const TileMatrixSet& set, const TileAddress& tile,
                                        const std::vector<core::Collection>& layers,
                                        const std::shared_ptr<const core::Expression>& filter) {
  // Built in a slot of the render gate, as maps are drawn: a vector tile holds its
  // features' geometry and values while it is built (a z5 tile of 500,000 points about
  // 120 MB), and eight at once took 1 GB that glibc then kept.
  const auto slot = render::render_gate().enter();
  encode::TileFrame frame;
  frame.bounds = tile_bounds(set, tile);
  frame.extent = kExtent;
  frame.buffer = kBuffer;
  frame.mercator = !set.crs.is_crs84();
  frame.simplify = kSimplify;
  std::unique_ptr<encode::CoordinateTransform> forward;
  if (!set.crs.is_crs84()) forward = std::make_unique<encode::CoordinateTransform>(set.crs, "tileMatrixSet", false, true);
  encode::TileGeometryBuilder geometry(frame, forward.get());
  const core::Envelope box = tile_crs84_box(set, frame.bounds, static_cast<double>(kBuffer) / kExtent);

  std::string out;
  for (const auto& c : layers) {
    core::FeatureQuery query;
    query.collection = c.id;
    query.bbox = box;
    query.filter = filter;
    query.limit = std::numeric_limits<std::int64_t>::max();
    encode::MvtLayer layer(c.id, geometry, kExtent);
    layer.begin(c);
    store_.features(c, query, layer);
    core::ReturnedFeatures::add(static_cast<std::int64_t>(layer.size()));  // those the tile holds (none empty after clipping)
    layer.end();
    layer.append_to(out);
  }
  return out;
}

std::string TileMaker::map_tile(const TileMatrixSet& set, const TileAddress& tile,
                                const std::vector<core::Collection>& layers, render::ImageFormat format,
                                bool transparent, const std::vector<LayerStyle>& styles,
                                const std::shared_ptr<const core::Expression>& filter) {
  render::MapRequest request;
  request.layers = layers;
  request.crs = set.crs;
  request.bbox = tile_bounds(set, tile);
  request.width = request.height = set.tile_size;
  request.format = format;
  request.transparent = transparent;
  std::string versions = layers_and_versions(layers);
  for (const auto& s : styles) {
    request.styles.push_back(s.style);
    versions += "style:" + s.version + ';';
  }
  if (filter) request.filters.assign(layers.size(), filter);
  if (!cache_ || filter) return render::render_map(store_, request);
  const std::string kind = transparent ? "map" : "map-opaque";
  const auto key = tile_key(kind, set.id, versions, tile.level, tile.row, tile.col, extension(format));
  if (auto hit = cache_->get(key)) return std::move(*hit);
  auto bytes = render::render_map(store_, request);
  cache_->put(key, bytes);
  return bytes;
}

core::Collection raster_layer_collection(const store::RasterLayer& raster) {
  core::Collection c;
  c.id = raster.id;
  c.title = raster.title.empty() ? raster.id : raster.title;
  c.description = raster.description;
  c.attribution = raster.attribution;
  c.licence = raster.licence;
  c.geometry_type = "RASTER";
  c.extent = raster.extent;
  return c;
}

std::string raster_version(const store::RasterLayer& raster) {
  std::error_code error;
  const auto size = std::filesystem::file_size(raster.path, error);
  const auto written = std::filesystem::last_write_time(raster.path, error);
  if (error) return "missing";
  return std::to_string(size) + '-' + std::to_string(written.time_since_epoch().count()) + '-' +
         std::to_string(raster.min) + '-' + std::to_string(raster.max);
}

std::string TileMaker::coverage_tile(const TileMatrixSet& set, const TileAddress& tile,
                                     const store::RasterLayer& raster, render::ImageFormat format,
                                     bool transparent, const std::shared_ptr<const render::Style>& style) {
  render::MapRequest request;
  request.layers = {raster_layer_collection(raster)};
  request.rasters = {std::make_shared<const store::RasterLayer>(raster)};
  request.styles = {style};
  request.crs = set.crs;
  request.bbox = tile_bounds(set, tile);
  request.width = request.height = set.tile_size;
  request.format = format;
  request.transparent = transparent;
  if (!cache_) return render::render_map(store_, request);
  const std::string versions =
      "raster:" + raster.id + '@' + raster_version(raster) + ";style:" + (style ? style->name : "default") + ';';
  const auto key = tile_key(transparent ? "coverage" : "coverage-opaque", set.id, versions, tile.level, tile.row, tile.col, extension(format));
  if (auto hit = cache_->get(key)) return std::move(*hit);
  auto bytes = render::render_map(store_, request);
  cache_->put(key, bytes);
  return bytes;
}

}  // namespace amis::tiles
