#include "api/wmts/wmts_service.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

#include "api/common/ows_answer.hpp"
#include "api/wmts/wmts_capabilities.hpp"
#include "core/collection.hpp"
#include "core/error.hpp"
#include "render/style.hpp"

namespace amis::api::wmts {
namespace {

constexpr const char* kXml = "application/xml";

struct WmtsError : core::OgcError {
  WmtsError(const std::string& code, const std::string& message, const std::string& locator)
      : core::OgcError(400, code, message, locator) {}
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> param(const http::Request& request, std::string_view name) {
  return http::param_ignoring_case(request, name);
}

// The locator of an error is the parameter's name in lower case, as the
// other WMTS errors name it.
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string required(const http::Request& request, const char* name) {
  auto v = param(request, name);
  if (!v || v->empty())
    throw WmtsError("MissingParameterValue", std::string("the parameter ") + name + " is required", lower(name));
  return *v;
}

long long index(const std::string& text, const char* locator) {
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size())
    throw WmtsError("InvalidParameterValue", std::string(locator) + " must be an integer", locator);
  return v;
}

// The hillshade's light from the layer's dimensions (wmts_capabilities.hpp,
// kLightDimensions: KVP parameters, or the RESTful template's query), each
// optional; for the other raster styles the light means nothing and is not read.
std::shared_ptr<const render::Style> lit(const std::shared_ptr<const render::Style>& style,
                                         const http::Request& request) {
  if (!style || !style->hillshade) return style;
  render::HillshadeLight light;
  double* values[3] = {&light.azimuth, &light.altitude, &light.z_factor};
  static const char* const kLocators[3] = {"azimuth", "altitude", "zfactor"};
  for (int i = 0; i < 3; ++i)
    if (const auto text = param(request, kLightDimensions[i].identifier); text && !text->empty()) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), *values[i]);
      if (ec != std::errc{} || end != text->data() + text->size())
        throw WmtsError("InvalidParameterValue", std::string(kLightDimensions[i].identifier) + " must be a number",
                        kLocators[i]);
    }
  return render::hillshade_style(light, kLocators);  // out of range: InvalidParameterValue, 400
}

// Runs a WMTS handler: every error becomes an OWS 1.1 ExceptionReport.
template <typename Fn>
void answer(http::Request& request, http::Response& response, Fn fn) {
  answer_with_exception_report(request, response, OwsVersion::V1_1, "1.0.0", fn);
}

}  // namespace

struct WmtsService::TileRequest {
  std::string layer;
  std::string style;
  std::string format;  // media type
  std::string tile_matrix_set;
  std::string tile_matrix;
  std::string tile_row;
  std::string tile_col;
};

void WmtsService::register_routes(http::Router& router) {
  router.add("GET", "/wmts", [this](http::Request& q, http::Response& s) { kvp(q, s); });
  router.add("GET", "/wmts/1.0.0/WMTSCapabilities.xml",
             [this](http::Request& q, http::Response& s) { answer(q, s, [&] { capabilities(q, s); }); });
  router.add("GET", "/wmts/1.0.0/{layer}/{style}/{tileMatrixSet}/{tileMatrix}/{tileRow}/{tileCol}",
             [this](http::Request& q, http::Response& s) { answer(q, s, [&] { rest_tile(q, s); }); });
}

std::string WmtsService::base_url(const http::Request& request) const {
  return http::base_url(request, settings_.base_url);
}

void WmtsService::kvp(http::Request& request, http::Response& response) {
  answer(request, response, [&] {
    const auto service = param(request, "SERVICE");
    if (service && upper(*service) != "WMTS")
      throw WmtsError("InvalidParameterValue", "SERVICE must be WMTS", "service");
    const auto operation = required(request, "REQUEST");
    if (operation == "GetCapabilities") return capabilities(request, response);
    if (!service) throw WmtsError("MissingParameterValue", "the parameter SERVICE is required", "service");
    if (operation != "GetTile")
      throw WmtsError("OperationNotSupported", "this WMTS answers GetCapabilities and GetTile, not '" +
                                                   operation.substr(0, 40) + "'",
                      "request");
    const auto version = required(request, "VERSION");
    if (version != "1.0.0") throw WmtsError("InvalidParameterValue", "VERSION must be 1.0.0", "version");
    TileRequest tile{required(request, "LAYER"),         required(request, "STYLE"),
                     required(request, "FORMAT"),        required(request, "TILEMATRIXSET"),
                     required(request, "TILEMATRIX"),    required(request, "TILEROW"),
                     required(request, "TILECOL")};
    get_tile(tile, request, response);
  });
}

void WmtsService::capabilities(http::Request& request, http::Response& response) {
  std::vector<LayerStyles> layers;
  for (auto& c : store_.collections()) {
    if (!core::is_map_layer(c)) continue;
    LayerStyles layer{c, {}};
    for (auto& s : styles_.list(c)) layer.styles.push_back({s.name, s.title});
    layers.push_back(std::move(layer));
  }
  for (const auto& raster : store_.rasters()) {
    LayerStyles layer{amis::tiles::raster_layer_collection(raster), {}, true};
    for (const auto& s : render::raster_style_names()) layer.styles.push_back({s.name, s.title});
    layers.push_back(std::move(layer));
  }
  response.send(200, kXml, capabilities_document(base_url(request), settings_.title, settings_.description, layers));
}

void WmtsService::rest_tile(http::Request& request, http::Response& response) {
  const std::string& last = request.path_param("tileCol");
  const auto dot = last.rfind('.');
  const std::string extension = dot == std::string::npos ? "" : last.substr(dot + 1);
  const TileFormat* format = nullptr;
  for (const auto& f : tile_formats())
    if (extension == f.extension) format = &f;
  if (!format)
    throw WmtsError("InvalidParameterValue", "tiles end in .png, .jpg, .webp or .mvt", "format");
  get_tile({request.path_param("layer"), request.path_param("style"), format->media_type,
            request.path_param("tileMatrixSet"), request.path_param("tileMatrix"), request.path_param("tileRow"),
            last.substr(0, dot)},
           request, response);
}

void WmtsService::get_tile(const TileRequest& t, const http::Request& request, http::Response& response) {
  auto collection = store_.collection(t.layer);
  std::optional<store::RasterLayer> raster;
  if (!collection) raster = store_.raster(t.layer);
  if (!collection && !raster)
    throw WmtsError("InvalidParameterValue", "no layer '" + t.layer.substr(0, 60) + "'", "layer");
  std::optional<std::shared_ptr<const render::Style>> raster_style;
  if (raster) raster_style = render::raster_style(t.style);
  const std::string version = raster ? (raster_style ? t.style : "") : styles_.version(*collection, t.style);
  if (version.empty())
    throw WmtsError("InvalidParameterValue", "layer '" + t.layer + "' has no style '" + t.style.substr(0, 60) + "'",
                    "style");
  const auto* set = amis::tiles::find_tile_matrix_set(t.tile_matrix_set);
  if (!set)
    throw WmtsError("InvalidParameterValue", "no tile matrix set '" + t.tile_matrix_set.substr(0, 60) + "'",
                    "tilematrixset");
  const long long level = index(t.tile_matrix, "tilematrix");
  // Only the identifiers the capabilities declare: "3", not "03" or "-0".
  if (level < 0 || level > set->max_level || std::to_string(level) != t.tile_matrix)
    throw WmtsError("InvalidParameterValue", "no tile matrix '" + t.tile_matrix + "' in " + set->id, "tilematrix");
  const amis::tiles::TileAddress address{static_cast<int>(level), index(t.tile_row, "tilerow"),
                                         index(t.tile_col, "tilecol")};
  const auto matrix = set->matrix(address.level);
  if (address.row < 0 || address.row >= matrix.matrix_height)
    throw WmtsError("TileOutOfRange", "TileRow must be between 0 and " + std::to_string(matrix.matrix_height - 1),
                    "tilerow");
  if (address.col < 0 || address.col >= matrix.matrix_width)
    throw WmtsError("TileOutOfRange", "TileCol must be between 0 and " + std::to_string(matrix.matrix_width - 1),
                    "tilecol");
  const http::Headers headers = http::cache_headers(request);
  std::string format;
  for (char c : t.format) if (c != ' ') format += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (format == "application/vnd.mapbox-vector-tile" && !raster) {
    const std::vector<core::Collection> layers{std::move(*collection)};
    return response.send(200, t.format, maker_.vector_tile(*set, address, layers), headers);
  }
  render::ImageFormat image;
  if (format == "image/png") image = render::ImageFormat::Png32;
  else if (format == "image/jpeg") image = render::ImageFormat::Jpeg;
  else if (format == "image/webp") image = render::ImageFormat::Webp;
  else throw WmtsError("InvalidParameterValue", "the format '" + t.format.substr(0, 60) + "' is not offered", "format");
  if (raster)
    return response.send(200, render::media_type(image),
                         maker_.coverage_tile(*set, address, *raster, image, true, lit(*raster_style, request)),
                         headers);
  const std::vector<core::Collection> layers{std::move(*collection)};
  const std::vector<amis::tiles::TileMaker::LayerStyle> styles = {{styles_.find(layers.front(), t.style), version}};
  response.send(200, render::media_type(image), maker_.map_tile(*set, address, layers, image, true, styles), headers);
}

}  // namespace amis::api::wmts
