// Mapnik rendering. Features are reprojected by AMIS (PROJ, east/north order)
// before Mapnik sees them, so Mapnik draws in the map's own CRS and never
// reprojects.
#include <mapnik/agg_renderer.hpp>
#include <mapnik/color.hpp>
#include <mapnik/feature.hpp>
#include <mapnik/feature_factory.hpp>
#include <mapnik/feature_type_style.hpp>
#include <mapnik/image.hpp>
#include <mapnik/image_util.hpp>
#include <mapnik/layer.hpp>
#include <mapnik/map.hpp>
#include <mapnik/memory_datasource.hpp>
#include <mapnik/rule.hpp>
#include <mapnik/symbolizer.hpp>
#include <mapnik/wkb.hpp>

#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/wkb.hpp"
#include "encode/coordinate_transform.hpp"
#include "render/map_renderer.hpp"

namespace amis::render {
namespace {

// Mapnik is told both the map and the layers are in this CRS: an identity.
constexpr const char* kIdentitySrs = "epsg:4326";

// Colours of the default styles, one per layer in turn (ColorBrewer Dark2).
constexpr const char* kPalette[] = {"#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"};

// Reprojects every position of a little-endian ISO WKB geometry in place: the
// WkbReader walks the structure, the coordinates are rewritten where it read them.
class WkbTransformer {
 public:
  WkbTransformer(std::vector<std::uint8_t>& wkb, const encode::CoordinateTransform& t)
      : wkb_(wkb), reader_(wkb), t_(t) {}

  void geometry(int depth) {
    if (depth > 32) throw core::WkbError("WKB nesting too deep");
    if (wkb_.size() > reader_.position() && wkb_[reader_.position()] != 1)
      throw core::WkbError("big-endian WKB is not reprojected");
    const auto h = reader_.header();
    switch (h.type) {
      case core::WkbType::Point: positions(1, h.dimensions); break;
      case core::WkbType::LineString: positions(reader_.count(), h.dimensions); break;
      case core::WkbType::Polygon:
        for (std::uint32_t n = reader_.count(), i = 0; i < n; ++i) positions(reader_.count(), h.dimensions);
        break;
      default:
        for (std::uint32_t n = reader_.count(), i = 0; i < n; ++i) geometry(depth + 1);
    }
  }

 private:
  void positions(std::uint32_t n, int dims) {
    const std::size_t start = reader_.position();
    const std::size_t stride = static_cast<std::size_t>(dims) * 8;
    xy_.resize(static_cast<std::size_t>(n) * 2);
    for (std::uint32_t i = 0; i < n; ++i) {  // reading also checks the bounds
      xy_[i * 2] = reader_.f64();
      xy_[i * 2 + 1] = reader_.f64();
      for (int k = 2; k < dims; ++k) reader_.f64();
    }
    t_.transform(xy_.data(), xy_.data() + 1, n, 2);
    for (std::uint32_t i = 0; i < n; ++i) std::memcpy(wkb_.data() + start + i * stride, &xy_[i * 2], 16);
  }

  std::vector<std::uint8_t>& wkb_;
  core::WkbReader reader_;
  const encode::CoordinateTransform& t_;
  std::vector<double> xy_;
};

// Collects a layer's features into a Mapnik memory datasource.
class LayerFeatures final : public core::FeatureSink {
 public:
  LayerFeatures(std::shared_ptr<mapnik::memory_datasource> ds, const encode::CoordinateTransform* transform)
      : ds_(std::move(ds)), transform_(transform), context_(std::make_shared<mapnik::context_type>()) {}
  void begin(const core::Collection&) override {}
  void feature(const core::FeatureView& f) override {
    if (f.wkb.empty()) return;
    mapnik::geometry::geometry<double> geometry;
    if (transform_) {
      wkb_.assign(f.wkb.begin(), f.wkb.end());
      try {
        WkbTransformer(wkb_, *transform_).geometry(0);
      } catch (const core::WkbError&) {
        return;  // a geometry that cannot be drawn is left out
      }
      geometry = mapnik::geometry_utils::from_wkb(reinterpret_cast<const char*>(wkb_.data()), wkb_.size(),
                                                  mapnik::wkbGeneric);
    } else {
      geometry = mapnik::geometry_utils::from_wkb(reinterpret_cast<const char*>(f.wkb.data()), f.wkb.size(),
                                                  mapnik::wkbGeneric);
    }
    mapnik::feature_ptr feature(mapnik::feature_factory::create(context_, f.id));
    feature->set_geometry(std::move(geometry));
    ds_->push(feature);
  }
  void end() override {}

 private:
  std::shared_ptr<mapnik::memory_datasource> ds_;
  const encode::CoordinateTransform* transform_;
  mapnik::context_ptr context_;
  std::vector<std::uint8_t> wkb_;
};

// The default style of a collection, by its geometry type.
mapnik::feature_type_style default_style(const core::Collection& c, const char* colour) {
  mapnik::rule rule;
  const std::string& g = c.geometry_type;
  const bool points = g == "POINT" || g == "MULTIPOINT";
  const bool lines = g == "LINESTRING" || g == "MULTILINESTRING";
  if (points || g == "GEOMETRY" || g == "GEOMETRYCOLLECTION") {
    mapnik::markers_symbolizer marker;
    mapnik::put(marker, mapnik::keys::fill, mapnik::color(colour));
    mapnik::put(marker, mapnik::keys::width, mapnik::value_double(7));
    mapnik::put(marker, mapnik::keys::height, mapnik::value_double(7));
    mapnik::put(marker, mapnik::keys::stroke, mapnik::color("#ffffff"));
    mapnik::put(marker, mapnik::keys::stroke_width, mapnik::value_double(1));
    mapnik::put(marker, mapnik::keys::allow_overlap, true);
    mapnik::put(marker, mapnik::keys::ignore_placement, true);
    if (points) {
      rule.append(std::move(marker));
      mapnik::feature_type_style style;
      style.add_rule(std::move(rule));
      return style;
    }
    rule.append(std::move(marker));
  }
  if (!lines && !points) {
    mapnik::polygon_symbolizer fill;
    mapnik::put(fill, mapnik::keys::fill, mapnik::color(colour));
    mapnik::put(fill, mapnik::keys::fill_opacity, mapnik::value_double(0.35));
    rule.append(std::move(fill));
  }
  mapnik::line_symbolizer line;
  mapnik::put(line, mapnik::keys::stroke, mapnik::color(colour));
  mapnik::put(line, mapnik::keys::stroke_width, mapnik::value_double(lines ? 1.5 : 0.8));
  rule.append(std::move(line));
  mapnik::feature_type_style style;
  style.add_rule(std::move(rule));
  return style;
}

std::string encode_image(const mapnik::image_rgba8& image, ImageFormat format) {
  switch (format) {
    // zlib level 1: map images are mostly flat colour, and level 6 spent several
    // times the CPU for a few percent fewer bytes.
    case ImageFormat::Png32: return mapnik::save_to_string(image, "png32:z=1");
    case ImageFormat::Png8: return mapnik::save_to_string(image, "png8:z=1");
    case ImageFormat::Jpeg: return mapnik::save_to_string(image, "jpeg85");
    case ImageFormat::Webp: return mapnik::save_to_string(image, "webp");
  }
  return mapnik::save_to_string(image, "png32");
}

}  // namespace

const char* media_type(ImageFormat format) {
  switch (format) {
    case ImageFormat::Png32:
    case ImageFormat::Png8: return "image/png";
    case ImageFormat::Jpeg: return "image/jpeg";
    case ImageFormat::Webp: return "image/webp";
  }
  return "image/png";
}

std::string render_map(store::Store& store, const MapRequest& request) {
  mapnik::Map map(request.width, request.height, kIdentitySrs);
  map.set_aspect_fix_mode(mapnik::Map::RESPECT);
  // Features up to 8 pixels outside are drawn too, so symbols at tile seams are whole.
  map.set_buffer_size(8);
  const bool opaque = !request.transparent || request.format == ImageFormat::Jpeg;
  map.set_background(mapnik::color(request.background.r, request.background.g, request.background.b,
                                   opaque ? 255 : 0));

  // The features to draw come from the box's CRS84 envelope (a little wider, so
  // that symbols of features just outside still show their edge).
  std::unique_ptr<encode::CoordinateTransform> forward;
  core::Envelope crs84 = request.bbox;
  if (!request.crs.is_crs84()) {
    forward = std::make_unique<encode::CoordinateTransform>(request.crs, "crs", false, true);
    const encode::CoordinateTransform inverse(request.crs, "crs", true, true);
    crs84 = inverse.to_crs84_bounds(request.bbox.min_x, request.bbox.min_y, request.bbox.max_x, request.bbox.max_y);
  }
  const double margin_x = (crs84.max_x - crs84.min_x) * 8.0 / request.width;
  const double margin_y = (crs84.max_y - crs84.min_y) * 8.0 / request.height;
  crs84 = {std::max(-180.0, crs84.min_x - margin_x), std::max(-90.0, crs84.min_y - margin_y),
           std::min(180.0, crs84.max_x + margin_x), std::min(90.0, crs84.max_y + margin_y)};

  for (std::size_t i = 0; i < request.layers.size(); ++i) {
    const auto& c = request.layers[i];
    mapnik::parameters parameters;
    parameters["type"] = "memory";
    auto ds = std::make_shared<mapnik::memory_datasource>(parameters);
    core::FeatureQuery query;
    query.collection = c.id;
    query.bbox = crs84;
    query.properties = std::vector<std::string>{};
    query.limit = std::numeric_limits<std::int64_t>::max();
    LayerFeatures features(ds, forward.get());
    store.features(c, query, features);
    const std::string name = "layer" + std::to_string(i);
    map.insert_style(name, default_style(c, kPalette[i % std::size(kPalette)]));
    mapnik::layer layer(c.id, kIdentitySrs);
    layer.set_datasource(ds);
    layer.add_style(name);
    map.add_layer(layer);
  }
  map.zoom_to_box(mapnik::box2d<double>(request.bbox.min_x, request.bbox.min_y, request.bbox.max_x, request.bbox.max_y));
  mapnik::image_rgba8 image(request.width, request.height);
  mapnik::agg_renderer<mapnik::image_rgba8> renderer(map, image);
  renderer.apply();
  return encode_image(image, request.format);
}

}  // namespace amis::render
