// Mapnik rendering. Features are reprojected by AMIS (PROJ, east/north order)
// before Mapnik sees them, so Mapnik draws in the map's own CRS and never
// reprojects. Each rule of a style is its own store query (its filter runs in
// SQL) feeding its own Mapnik layer; labels are drawn last, above every layer.
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
#include <mapnik/raster.hpp>
#include <mapnik/rule.hpp>
#include <mapnik/symbolizer.hpp>
#include <mapnik/unicode.hpp>
#include <mapnik/wkb.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/error.hpp"
#include "core/request_budget.hpp"
#include "core/wkb.hpp"
#include "encode/coordinate_transform.hpp"
#include "render/map_renderer.hpp"
#include "render/mapnik_symbolizers.hpp"
#include "render/budgeted_datasource.hpp"
#include "render/raster_image.hpp"
#include "render/render_gate.hpp"

namespace amis::render {
namespace {

// Mapnik is told both the map and the layers are in this CRS: an identity.
constexpr const char* kIdentitySrs = "epsg:4326";
constexpr double kPixelMetres = 0.00028;
constexpr double kMetresPerDegree = 6378137.0 * M_PI / 180.0;
// Features read between two looks at the request's budget (reading one is cheap).
constexpr unsigned kBudgetEvery = 256;

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

// The pixels of a map already holding a point of one rule: a second point on
// the same pixel would draw the same symbol again over the first (dense point
// layers at small scales hold tens of thousands of points per image), so it is
// left out. Positions are rounded to whole pixels.
class PixelGrid {
 public:
  PixelGrid(const core::Envelope& bbox, int width, int height, int margin)
      : min_x_(bbox.min_x), max_y_(bbox.max_y), sx_(width / (bbox.max_x - bbox.min_x)),
        sy_(height / (bbox.max_y - bbox.min_y)), width_(width + 2 * margin), height_(height + 2 * margin),
        margin_(margin), seen_(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_)) {}

  // True the first time a point falls on its pixel (and for points off the grid).
  bool first_at(double x, double y) {
    const double px = std::floor((x - min_x_) * sx_) + margin_;
    const double py = std::floor((max_y_ - y) * sy_) + margin_;
    if (!(px >= 0 && py >= 0 && px < width_ && py < height_)) return true;
    const auto i = static_cast<std::size_t>(py) * static_cast<std::size_t>(width_) + static_cast<std::size_t>(px);
    if (seen_[i]) return false;
    seen_[i] = true;
    return true;
  }

 private:
  double min_x_, max_y_, sx_, sy_;
  int width_, height_, margin_;
  std::vector<bool> seen_;
};

// The position of a little-endian 2D-or-more WKB Point; false for anything else.
bool point_position(std::span<const std::uint8_t> wkb, double& x, double& y) {
  if (wkb.size() < 21 || wkb[0] != 1) return false;
  std::uint32_t type;
  std::memcpy(&type, wkb.data() + 1, 4);
  if (type % 1000 != 1 || (type & 0xE0000000u) != 0) return false;
  std::memcpy(&x, wkb.data() + 5, 8);
  std::memcpy(&y, wkb.data() + 13, 8);
  return true;
}

// The points of a rule drawn with sprites, split by the phase of their pixel
// position into one datasource per sprite variant (created when first used).
class SpritePhases {
 public:
  SpritePhases(const core::Envelope& bbox, int width, int height, int side)
      : min_x_(bbox.min_x), max_y_(bbox.max_y), sx_(width / (bbox.max_x - bbox.min_x)),
        sy_(height / (bbox.max_y - bbox.min_y)), side_(side), sources_(kSpritePhases * kSpritePhases) {}

  // The datasource for a point at (x, y) of the map's CRS, or for a feature
  // that is not a single point (placed by Mapnik: the middle variant).
  mapnik::memory_datasource& source(bool point, double x, double y) {
    int px = kSpritePhases / 2, py = kSpritePhases / 2;
    if (point) {
      px = sprite_phase((x - min_x_) * sx_, side_);
      py = sprite_phase((max_y_ - y) * sy_, side_);
    }
    auto& ds = sources_[static_cast<std::size_t>(py * kSpritePhases + px)];
    if (!ds) ds = std::make_shared<BudgetedDatasource>();
    return *ds;
  }

  // Calls fn(phase_x, phase_y, datasource) for each variant that has points.
  template <typename Fn>
  void each(Fn fn) const {
    for (int i = 0; i < kSpritePhases * kSpritePhases; ++i)
      if (sources_[static_cast<std::size_t>(i)]) fn(i % kSpritePhases, i / kSpritePhases, sources_[static_cast<std::size_t>(i)]);
  }

 private:
  double min_x_, max_y_, sx_, sy_;
  int side_;
  std::vector<std::shared_ptr<BudgetedDatasource>> sources_;
};

// Collects a rule's features into a Mapnik memory datasource (or, for sprites,
// the datasource of each point's phase); with a label property, each feature
// carries its value as kLabelAttribute.
class LayerFeatures final : public core::FeatureSink {
 public:
  // `grid`: leave out points on a pixel that already has one (not for labels).
  // `phases`: split the features among sprite variants instead of `ds`.
  LayerFeatures(std::shared_ptr<BudgetedDatasource> ds, const encode::CoordinateTransform* transform,
                bool labelled, PixelGrid* grid, SpritePhases* phases = nullptr)
      : ds_(std::move(ds)), transform_(transform), labelled_(labelled), grid_(grid), phases_(phases),
        context_(std::make_shared<mapnik::context_type>()) {
    if (labelled_) context_->push(kLabelAttribute);
  }
  void begin(const core::Collection&) override {}
  void feature(const core::FeatureView& f) override {
    if (++read_ % kBudgetEvery == 0) core::RequestBudget::check();
    if (f.wkb.empty()) return;
    mapnik::geometry::geometry<double> geometry;
    if (transform_) {
      wkb_.assign(f.wkb.begin(), f.wkb.end());
      try {
        WkbTransformer(wkb_, *transform_).geometry(0);
      } catch (const core::WkbError&) {
        return;  // a geometry that cannot be drawn is left out
      }
    }
    const std::span<const std::uint8_t> wkb = transform_ ? std::span<const std::uint8_t>(wkb_) : f.wkb;
    double x = 0, y = 0;
    const bool point = point_position(wkb, x, y);
    if (point && grid_ && !grid_->first_at(x, y)) return;
    geometry = mapnik::geometry_utils::from_wkb(reinterpret_cast<const char*>(wkb.data()), wkb.size(),
                                                mapnik::wkbGeneric);
    mapnik::feature_ptr feature(mapnik::feature_factory::create(context_, f.id));
    feature->set_geometry(std::move(geometry));
    if (labelled_) {
      if (f.values.empty() || f.values[0].kind == core::Value::Kind::Null) return;  // nothing to write
      feature->put(kLabelAttribute, label_value(f.values[0]));
    }
    if (phases_) phases_->source(point, x, y).push(feature);
    else ds_->push(feature);
  }
  void end() override {}

 private:
  static mapnik::value label_value(const core::Value& v) {
    switch (v.kind) {
      case core::Value::Kind::Integer: return mapnik::value_integer(v.integer);
      case core::Value::Kind::Real: return mapnik::value_double(v.real);
      default:
        return mapnik::value_unicode_string(icu::UnicodeString::fromUTF8(
            icu::StringPiece(v.text.data(), static_cast<std::int32_t>(v.text.size()))));
    }
  }

  std::shared_ptr<BudgetedDatasource> ds_;
  const encode::CoordinateTransform* transform_;
  bool labelled_;
  PixelGrid* grid_;
  SpritePhases* phases_;
  mapnik::context_ptr context_;
  std::vector<std::uint8_t> wkb_;
  unsigned read_ = 0;
};

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

mapnik::Map blank_map(const MapRequest& request) {
  mapnik::Map map(request.width, request.height, kIdentitySrs);
  map.set_aspect_fix_mode(mapnik::Map::RESPECT);
  // Features up to 8 pixels outside are drawn too, so symbols at tile seams are whole.
  map.set_buffer_size(8);
  const bool opaque = !request.transparent || request.format == ImageFormat::Jpeg;
  map.set_background(mapnik::color(request.background.r, request.background.g, request.background.b,
                                   opaque ? 255 : 0));
  return map;
}

std::string draw(const mapnik::Map& map, const MapRequest& request) {
  mapnik::image_rgba8 image(request.width, request.height);
  mapnik::agg_renderer<mapnik::image_rgba8> renderer(map, image);
  renderer.apply();
  core::RequestBudget::check();  // before encoding: nobody may want the image any more
  return encode_image(image, request.format);
}

// The filter selecting a rule's features: its own, or for an ElseFilter rule
// the features no other rule's filter selects (nullopt: none at all).
// What a rule draws of a layer: its own filter and the layer's, both.
std::shared_ptr<const core::Expression> both_filters(const std::shared_ptr<const core::Expression>& layer,
                                                     const std::shared_ptr<const core::Expression>& rule) {
  if (!layer) return rule;
  if (!rule) return layer;
  return std::make_shared<const core::Expression>(core::Expression::op("and", {*layer, *rule}));
}

std::optional<std::shared_ptr<const core::Expression>> rule_filter(const Style& style, const Rule& rule) {
  if (!rule.else_filter) return rule.filter;
  std::vector<core::Expression> others;
  for (const auto& r : style.rules) {
    if (r.else_filter) continue;
    if (!r.filter) return std::nullopt;  // another rule takes every feature
    others.push_back(*r.filter);
  }
  if (others.empty()) return std::shared_ptr<const core::Expression>();
  core::Expression any = others.size() == 1 ? others.front() : core::Expression::op("or", std::move(others));
  // Not NOT: a feature whose property is NULL is selected by no filter and so
  // belongs to the ElseFilter, where SQL's NOT(NULL) would leave it out.
  return std::make_shared<const core::Expression>(core::Expression::op("not_true", {std::move(any)}));
}

// An image of the map's box and size (a raster layer warped and coloured, a
// cascaded layer drawn by its node): one Mapnik feature holding it (and the map's
// box as its geometry, which Mapnik's memory datasource uses to select it).
void add_image_layer(mapnik::Map& map, const std::string& name, const std::vector<std::uint8_t>& rgba,
                     const MapRequest& request) {
  mapnik::image_rgba8 image(request.width, request.height);
  std::memcpy(image.data(), rgba.data(), rgba.size());
  const auto& b = request.bbox;
  const mapnik::box2d<double> extent(b.min_x, b.min_y, b.max_x, b.max_y);
  mapnik::parameters parameters;
  parameters["type"] = "memory";
  auto ds = std::make_shared<mapnik::memory_datasource>(parameters);
  mapnik::feature_ptr feature(mapnik::feature_factory::create(std::make_shared<mapnik::context_type>(), 1));
  feature->set_raster(std::make_shared<mapnik::raster>(extent, mapnik::image_any(std::move(image)), 1.0));
  mapnik::geometry::polygon<double> box;
  mapnik::geometry::linear_ring<double> ring;
  ring.emplace_back(b.min_x, b.min_y);
  ring.emplace_back(b.max_x, b.min_y);
  ring.emplace_back(b.max_x, b.max_y);
  ring.emplace_back(b.min_x, b.max_y);
  ring.emplace_back(b.min_x, b.min_y);
  box.set_exterior_ring(std::move(ring));
  feature->set_geometry(std::move(box));
  ds->push(feature);
  mapnik::rule rule;
  rule.append(mapnik::raster_symbolizer());
  mapnik::feature_type_style style;
  style.add_rule(std::move(rule));
  map.insert_style(name, std::move(style));
  mapnik::layer layer(name, kIdentitySrs);
  layer.set_datasource(ds);
  layer.add_style(name);
  map.add_layer(layer);
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

double scale_denominator(const MapRequest& request) {
  double units_per_pixel = (request.bbox.max_x - request.bbox.min_x) / request.width;
  if (encode::geographic(request.crs)) units_per_pixel *= kMetresPerDegree;
  return units_per_pixel / kPixelMetres;
}

std::string render_map(store::Store& store, const MapRequest& request) {
  const auto slot = render_gate().enter();
  mapnik::Map map = blank_map(request);

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
  const double scale = scale_denominator(request);

  // Every feature of a rule in the map's box, with only the named properties.
  auto rule_query = [&](const core::Collection& c, const std::shared_ptr<const core::Expression>& filter,
                        std::vector<std::string> properties) {
    core::FeatureQuery query;
    query.collection = c.id;
    query.bbox = crs84;
    query.filter = filter;
    query.properties = std::move(properties);
    query.limit = std::numeric_limits<std::int64_t>::max();
    return query;
  };

  auto read = [&](const core::Collection& c, const std::shared_ptr<const core::Expression>& filter,
                  const std::string* label) {
    auto ds = std::make_shared<BudgetedDatasource>();
    const auto query = rule_query(c, filter, label ? std::vector<std::string>{*label} : std::vector<std::string>{});
    std::optional<PixelGrid> grid;
    if (!label) grid.emplace(request.bbox, request.width, request.height, 8);
    LayerFeatures features(ds, forward.get(), label != nullptr, grid ? &*grid : nullptr);
    store.features(c, query, features);
    return ds;
  };

  // A rule of plain marks: its points by sprite variant, a Mapnik layer each.
  auto add_sprite_layers = [&](mapnik::Map& m, const std::string& name, const core::Collection& c, const Rule& rule,
                               const std::shared_ptr<const core::Expression>& filter) {
    int side = 0;
    for (const auto& s : rule.symbolizers)
      if (const auto* p = std::get_if<PointSymbolizer>(&s)) side = std::max(side, sprite_side(*p));
    SpritePhases phases(request.bbox, request.width, request.height, side);
    PixelGrid grid(request.bbox, request.width, request.height, 8);
    const auto query = rule_query(c, filter, {});
    LayerFeatures features(nullptr, forward.get(), false, &grid, &phases);
    store.features(c, query, features);
    phases.each([&](int px, int py, const std::shared_ptr<BudgetedDatasource>& ds) {
      const std::string phase_name = name + "p" + std::to_string(px) + "_" + std::to_string(py);
      mapnik::rule sprites;
      append_sprite_symbolizers(sprites, rule, px, py);
      mapnik::feature_type_style fts;
      fts.add_rule(std::move(sprites));
      m.insert_style(phase_name, std::move(fts));
      mapnik::layer layer(phase_name, kIdentitySrs);
      layer.set_datasource(ds);
      layer.add_style(phase_name);
      m.add_layer(layer);
    });
  };

  std::vector<mapnik::layer> labels;
  for (std::size_t i = 0; i < request.layers.size(); ++i) {
    core::RequestBudget::check();
    const auto& c = request.layers[i];
    if (i < request.rasters.size() && request.rasters[i]) {
      add_image_layer(map, "l" + std::to_string(i),
                      raster_image(*request.rasters[i], request,
                                   i < request.styles.size() ? request.styles[i].get() : nullptr),
                      request);
      continue;
    }
    if (i < request.images.size() && request.images[i]) {
      add_image_layer(map, "l" + std::to_string(i), *request.images[i], request);
      continue;
    }
    const std::shared_ptr<const Style> given = i < request.styles.size() ? request.styles[i] : nullptr;
    const Style style = given ? *given : default_style(c, i);
    const auto layer_filter = i < request.filters.size() ? request.filters[i] : nullptr;
    for (std::size_t r = 0; r < style.rules.size(); ++r) {
      const Rule& rule = style.rules[r];
      if (scale < rule.min_scale || scale >= rule.max_scale) continue;
      const auto rule_only = rule_filter(style, rule);
      if (!rule_only) continue;
      const auto filter = both_filters(layer_filter, *rule_only);
      const std::string name = "l" + std::to_string(i) + "r" + std::to_string(r);
      mapnik::rule geometry_rule;
      if (draws_with_sprites(rule)) {
        add_sprite_layers(map, name, c, rule, filter);
      } else {
        for (const auto& s : rule.symbolizers) append_geometry_symbolizer(geometry_rule, s);
      }
      if (!geometry_rule.get_symbolizers().empty()) {
        mapnik::feature_type_style fts;
        fts.add_rule(std::move(geometry_rule));
        map.insert_style(name, std::move(fts));
        mapnik::layer layer(name, kIdentitySrs);
        layer.set_datasource(read(c, filter, nullptr));
        layer.add_style(name);
        map.add_layer(layer);
      }
      for (std::size_t t = 0; t < rule.symbolizers.size(); ++t) {
        const auto* text = std::get_if<TextSymbolizer>(&rule.symbolizers[t]);
        if (!text || !c.property(text->label)) continue;
        mapnik::rule label_rule;
        label_rule.append(make_text_symbolizer(*text));
        mapnik::feature_type_style fts;
        fts.add_rule(std::move(label_rule));
        const std::string label_name = name + "t" + std::to_string(t);
        map.insert_style(label_name, std::move(fts));
        mapnik::layer layer(label_name, kIdentitySrs);
        layer.set_datasource(read(c, filter, &text->label));
        layer.add_style(label_name);
        labels.push_back(layer);
      }
    }
  }
  for (auto& layer : labels) map.add_layer(layer);
  core::RequestBudget::check();
  map.zoom_to_box(mapnik::box2d<double>(request.bbox.min_x, request.bbox.min_y, request.bbox.max_x, request.bbox.max_y));
  return draw(map, request);
}

std::string render_message(const MapRequest& request, std::string_view message) {
  mapnik::Map map = blank_map(request);
  mapnik::parameters parameters;
  parameters["type"] = "memory";
  auto ds = std::make_shared<mapnik::memory_datasource>(parameters);
  auto context = std::make_shared<mapnik::context_type>();
  context->push(kLabelAttribute);
  mapnik::feature_ptr feature(mapnik::feature_factory::create(context, 1));
  feature->set_geometry(mapnik::geometry::point<double>(request.width / 2.0, request.height / 2.0));
  feature->put(kLabelAttribute, mapnik::value_unicode_string(icu::UnicodeString::fromUTF8(
                                    icu::StringPiece(message.data(), static_cast<std::int32_t>(message.size())))));
  ds->push(feature);
  TextSymbolizer text;
  text.size = 12;
  text.fill = {180, 0, 0, 1};
  text.halo_radius = 1.5;
  mapnik::rule rule;
  auto symbolizer = make_text_symbolizer(text, std::max(20, request.width - 16));
  mapnik::put(symbolizer, mapnik::keys::allow_overlap, true);
  rule.append(std::move(symbolizer));
  mapnik::feature_type_style fts;
  fts.add_rule(std::move(rule));
  map.insert_style("message", std::move(fts));
  mapnik::layer layer("message", kIdentitySrs);
  layer.set_datasource(ds);
  layer.add_style("message");
  map.add_layer(layer);
  map.zoom_to_box(mapnik::box2d<double>(0, 0, request.width, request.height));
  return draw(map, request);
}

}  // namespace amis::render
