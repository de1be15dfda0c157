// WMS GetFeatureInfo (1.3.0 §7.4): the features of QUERY_LAYERS under a pixel
// of the map, within a few pixels' tolerance, in HTML, GeoJSON, GML or text.
#include <charconv>
#include <cmath>
#include <limits>

#include <cstring>

#include "api/coverages/coverage_documents.hpp"
#include "api/wms/wms_capabilities.hpp"
#include "api/wms/wms_service.hpp"
#include "core/byte_sink.hpp"
#include "core/returned_features.hpp"
#include "coverage/point_values.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/geojson_writer.hpp"
#include "encode/gml_writer.hpp"
#include "encode/xml_text.hpp"

namespace amis::api::wms {
namespace {

constexpr int kDefaultTolerance = 4;  // pixels around the queried one (BUFFER)

int pixel(const http::Request& request, const char* name, int size) {
  const std::string text = required(request, name);
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < 0 || v >= size)
    throw WmsError("InvalidPoint", std::string(name) + " must be a pixel of the map, from 0 to " +
                                       std::to_string(size - 1), name);
  return v;
}

int bounded(const http::Request& request, const char* name, int fallback, int low, int high) {
  const auto text = param(request, name);
  if (!text) return fallback;
  int v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size() || v < low || v > high)
    throw WmsError("InvalidParameterValue",
                   std::string(name) + " must be an integer from " + std::to_string(low) + " to " + std::to_string(high),
                   name);
  return v;
}

std::string value_text(const core::Value& v, core::PropertyType type) {
  switch (v.kind) {
    case core::Value::Kind::Null: return "";
    case core::Value::Kind::Integer:
      if (type == core::PropertyType::Boolean) return v.integer ? "true" : "false";
      return std::to_string(v.integer);
    case core::Value::Kind::Real: {
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.real);
      return ec == std::errc{} ? std::string(buffer, end) : std::string();
    }
    case core::Value::Kind::Text: return std::string(v.text);
  }
  return "";
}

// A value on one line of the text format: line breaks written as \n.
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

// Collects the answer in one of the formats, layer by layer.
class FeatureInfoWriter final : public core::FeatureSink {
 public:
  explicit FeatureInfoWriter(std::string format) : format_(std::move(format)) {}

  void begin(const core::Collection& c) override {
    collection_ = &c;
    if (format_ == "text/html") {
      html_ += "<h2>";
      encode::append_xml_text(html_, c.title.empty() ? c.id : c.title);
      html_ += "</h2>\n";
    } else if (format_ == "text/plain") {
      text_ += "Layer '" + c.id + "'\n";
    }
  }

  void feature(const core::FeatureView& f) override {
    const auto& c = *collection_;
    if (format_ == "application/json") {
      if (count_ > 0) json_ += ',';
      encode::append_feature(json_, c, f);
      json_ += '}';  // append_feature leaves the object open for members such as links
    } else if (format_ == "application/vnd.ogc.gml") {
      gml_ += "<wfs:member>";
      encode::append_gml_feature(gml_, c, f, encode::GmlCoordinates{encode::GmlVersion::V3_2,
                                                                   "http://www.opengis.net/def/crs/OGC/1.3/CRS84"});
      gml_ += "</wfs:member>";
    } else if (format_ == "text/html") {
      html_ += "<table class=\"feature\"><caption>Feature " + std::to_string(f.id) + "</caption>\n";
      for (std::size_t i = 0; i < c.properties.size() && i < f.values.size(); ++i) {
        html_ += "<tr><th scope=\"row\">";
        encode::append_xml_text(html_, c.properties[i].name);
        html_ += "</th><td>";
        encode::append_xml_text(html_, value_text(f.values[i], c.properties[i].type));
        html_ += "</td></tr>\n";
      }
      html_ += "</table>\n";
    } else {
      text_ += "  Feature " + std::to_string(f.id) + ":\n";
      for (std::size_t i = 0; i < c.properties.size() && i < f.values.size(); ++i)
        text_ += "    " + c.properties[i].name + " = " + one_line(value_text(f.values[i], c.properties[i].type)) + "\n";
    }
    ++count_;
  }

  void end() override {}

  std::string document() const {
    if (format_ == "application/json") return "{\"type\":\"FeatureCollection\",\"features\":[" + json_ + "]}";
    if (format_ == "application/vnd.ogc.gml") {
      encode::GmlCollectionHeader header;
      header.number_matched = count_;
      header.number_returned = count_;
      return encode::gml_collection_start(encode::GmlVersion::V3_2, header) + gml_ + encode::gml_collection_end();
    }
    if (format_ == "text/html")
      return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Feature information</title>"
             "</head><body>\n" + html_ + (count_ == 0 ? "<p>No feature here.</p>\n" : "") + "</body></html>\n";
    return text_.empty() || count_ == 0 ? "No feature here.\n" : text_;
  }

 private:
  std::string format_;
  const core::Collection* collection_ = nullptr;
  std::string json_, gml_, html_, text_;
  std::int64_t count_ = 0;
};

// ISO WKB of a point.
std::vector<std::uint8_t> point_wkb(double x, double y) {
  std::vector<std::uint8_t> out(21);
  out[0] = 1;  // little endian
  const std::uint32_t type = 1;
  std::memcpy(out.data() + 1, &type, 4);
  std::memcpy(out.data() + 5, &x, 8);
  std::memcpy(out.data() + 13, &y, 8);
  return out;
}

// A raster layer at a map point, as a feature: one property per band (its name, a
// real number, null for nodata) and the point in CRS84; nothing outside the raster.
void raster_values(coverage::OpenGrids& grids, const store::RasterLayer& raster, const core::Crs& crs, double x,
                   double y, double lon, double lat,
                   FeatureInfoWriter& writer) {
  const auto grid = grids.lease(raster.path);
  const auto& info = grid.info();
  const auto bands = coverages::served_bands(raster, info);
  core::Collection c;
  c.id = raster.id;
  c.title = raster.title;
  c.geometry_type = "POINT";
  for (const auto& b : bands) c.properties.push_back({b.name, core::PropertyType::Real});
  writer.begin(c);
  if (auto point = coverage::values_at(grid.dataset(), raster.path, info, crs, x, y)) {
    std::vector<core::Value> values;
    for (const auto& v : point->values) {
      core::Value value;
      if (v) {
        value.kind = core::Value::Kind::Real;
        value.real = *v;
      }
      values.push_back(value);
    }
    const auto wkb = point_wkb(lon, lat);
    writer.feature({1, wkb, values});
  }
  writer.end();
}

}  // namespace

void WmsService::get_feature_info(bool v130, const http::Request& request, http::Response& response) {
  const render::MapRequest map = map_request(v130, request, false);
  const auto query_layers = split(required(request, "QUERY_LAYERS"));
  std::string format = param(request, "INFO_FORMAT").value_or("text/html");
  std::string plain;
  for (char c : format) if (c != ' ') plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (plain == "application/geo+json") plain = "application/json";
  if (plain == "text/xml" || plain == "application/gml+xml") plain = "application/vnd.ogc.gml";
  bool offered = false;
  for (const auto& f : feature_info_formats()) offered = offered || f == plain;
  if (!offered) throw WmsError("InvalidFormat", "INFO_FORMAT '" + format.substr(0, 60) + "' is not offered", "INFO_FORMAT");
  const int i = pixel(request, v130 ? "I" : "X", map.width);
  const int j = pixel(request, v130 ? "J" : "Y", map.height);
  const int count = bounded(request, "FEATURE_COUNT", 1, 1, 1000);
  const int tolerance = bounded(request, "BUFFER", kDefaultTolerance, 0, 100);
  if (cascaded_feature_info(map, query_layers, i, j, format, count, response)) return;

  // The queried pixel with its tolerance, as a box of the map's CRS, then CRS84.
  const double px = (map.bbox.max_x - map.bbox.min_x) / map.width;
  const double py = (map.bbox.max_y - map.bbox.min_y) / map.height;
  core::Envelope box{map.bbox.min_x + (i - tolerance) * px, map.bbox.max_y - (j + 1 + tolerance) * py,
                     map.bbox.min_x + (i + 1 + tolerance) * px, map.bbox.max_y - (j - tolerance) * py};
  if (!map.crs.is_crs84()) {
    const encode::CoordinateTransform inverse(map.crs, v130 ? "CRS" : "SRS", true, true);
    box = inverse.to_crs84_bounds(box.min_x, box.min_y, box.max_x, box.max_y);
  }
  // The centre of the queried pixel, in the map's CRS and in CRS84 (rasters' values).
  const double cx = map.bbox.min_x + (i + 0.5) * px, cy = map.bbox.max_y - (j + 0.5) * py;
  double lon = cx, lat = cy;
  if (!map.crs.is_crs84()) {
    const encode::CoordinateTransform inverse(map.crs, v130 ? "CRS" : "SRS", true, true);
    inverse.transform(&lon, &lat, 1, 2);
  }
  FeatureInfoWriter writer(plain);
  for (const auto& name : query_layers) {
    const core::Collection* layer = nullptr;
    std::shared_ptr<const store::RasterLayer> raster;
    std::shared_ptr<const core::Expression> filter;
    for (std::size_t n = 0; n < map.layers.size() && !layer; ++n)
      if (map.layers[n].id == name) {
        layer = &map.layers[n];
        if (n < map.filters.size()) filter = map.filters[n];
        if (n < map.rasters.size()) raster = map.rasters[n];
      }
    if (!layer)
      throw WmsError("LayerNotQueryable", "QUERY_LAYERS names '" + name.substr(0, 80) + "', which LAYERS does not",
                     "QUERY_LAYERS");
    if (layer->geometry_type == kRasterType) {
      if (!raster) throw core::ServerError("raster layer without its raster");
      raster_values(open_grids_, *raster, map.crs, cx, cy, lon, lat, writer);
      continue;
    }
    core::FeatureQuery query;
    query.collection = layer->id;
    query.bbox = box;
    query.limit = count;
    query.filter = filter;
    writer.begin(*layer);
    core::ReturnedFeatures::add(store_.features(*layer, query, writer));
    writer.end();
  }
  const char* type = plain == "application/json" ? "application/json"
                     : plain == "application/vnd.ogc.gml" ? "application/vnd.ogc.gml"
                     : plain == "text/html" ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
  response.send(200, type, writer.document());
}

}  // namespace amis::api::wms
