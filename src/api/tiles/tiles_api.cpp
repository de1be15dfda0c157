#include "api/tiles/tiles_api.hpp"

#include <algorithm>
#include <charconv>

#include "api/common/exception_response.hpp"
#include "api/features/items_request.hpp"
#include "api/tiles/tile_documents.hpp"
#include "core/collection.hpp"
#include "core/error.hpp"
#include "query/filter_crs.hpp"
#include "render/render_gate.hpp"

namespace amis::api::tiles {
namespace {

using amis::tiles::TileAddress;
using amis::tiles::TileMatrixSet;

void send_json(http::Response& response, const nlohmann::json& doc) {
  response.send(200, "application/json", doc.dump());
}

const TileMatrixSet& require_set(const http::Request& request) {
  const auto& id = request.path_param("tileMatrixSetId");
  const auto* set = amis::tiles::find_tile_matrix_set(id);
  if (!set) throw core::NotFound("no tile matrix set '" + id + "': see /tileMatrixSets");
  return *set;
}

long long tile_index(const http::Request& request, const char* name) {
  const auto& text = request.path_param(name);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // An integer too large for any matrix is a tile that does not exist.
  if (ec == std::errc::result_out_of_range && end == text.data() + text.size())
    throw core::NotFound("there is no tile " + std::string(name) + " " + text);
  if (ec != std::errc{} || end != text.data() + text.size())
    throw core::InvalidParameter(name, std::string(name) + " must be an integer, not '" + text + "'");
  return value;
}

std::vector<std::string> split_ids(std::string_view text) {
  std::vector<std::string> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto id = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!id.empty()) ids.emplace_back(id);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return ids;
}

render::ImageFormat map_format(const http::Request& request) {
  auto f = request.param("f");
  if (!f || *f == "png") return render::ImageFormat::Png32;
  if (*f == "png8") return render::ImageFormat::Png8;
  if (*f == "jpeg" || *f == "jpg") return render::ImageFormat::Jpeg;
  if (*f == "webp") return render::ImageFormat::Webp;
  throw core::NotAcceptable("map tiles come as f=png, png8, jpeg or webp, not '" + std::string(*f) + "'");
}

// transparent=true (the default) or false.
bool transparent_parameter(const http::Request& request) {
  auto t = request.param("transparent");
  if (!t) return true;
  std::string value(*t);
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value != "true" && value != "false")
    throw core::InvalidParameter("transparent", "transparent must be true or false");
  return value == "true";
}

}  // namespace

void TilesApi::register_routes(http::Router& router) {
  auto wrap = [](auto fn) { return with_ogcapi_errors(std::move(fn)); };
  using R = http::Request;
  using S = http::Response;
  router.add("GET", "/tileMatrixSets", wrap([this](R& q, S& s) { tile_matrix_sets(q, s); }));
  router.add("GET", "/tileMatrixSets/{tileMatrixSetId}", wrap([this](R& q, S& s) { tile_matrix_set(q, s); }));
  struct Family {
    const char* prefix;
    Kind kind;
    bool dataset;
  };
  for (const Family f : {Family{"/tiles", Kind::Vector, true}, Family{"/map/tiles", Kind::Map, true},
                         Family{"/collections/{collectionId}/tiles", Kind::Vector, false},
                         Family{"/collections/{collectionId}/map/tiles", Kind::Map, false},
                         Family{"/collections/{collectionId}/styles/{styleId}/map/tiles", Kind::Map, false}}) {
    const std::string p = f.prefix;
    router.add("GET", p, wrap([this, f](R& q, S& s) { tilesets(f.kind, f.dataset, q, s); }));
    router.add("GET", p + "/{tileMatrixSetId}", wrap([this, f](R& q, S& s) { tileset(f.kind, f.dataset, q, s); }));
    router.add("GET", p + "/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
               wrap([this, f](R& q, S& s) { tile(f.kind, f.dataset, q, s); }));
  }
}

std::string TilesApi::base_url(const http::Request& request) const {
  return http::base_url(request, base_url_);
}

std::optional<TilesApi::Coverage> TilesApi::coverage(Kind kind, bool dataset, const http::Request& request) {
  if (kind != Kind::Map || dataset) return std::nullopt;
  const auto& id = request.path_param("collectionId");
  if (store_.collection(id)) return std::nullopt;
  auto raster = store_.raster(id);
  if (!raster) return std::nullopt;
  std::string style_name = request.path_params.count("styleId") ? request.path_param("styleId") : "default";
  auto style = render::raster_style(style_name);
  if (!style)
    throw core::NotFound("no style '" + style_name + "' for coverage '" + id + "' (default, hillshade)");
  if (*style && (*style)->hillshade) {  // the light: azimuth, altitude, z-factor (GDAL's -az, -alt, -z)
    static const char* const kNames[3] = {"azimuth", "altitude", "z-factor"};
    render::HillshadeLight light;
    double* values[3] = {&light.azimuth, &light.altitude, &light.z_factor};
    for (int i = 0; i < 3; ++i)
      if (const auto text = request.param(kNames[i])) {
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), *values[i]);
        if (ec != std::errc{} || end != text->data() + text->size())
          throw core::InvalidParameter(kNames[i], "must be a number");
      }
    style = render::hillshade_style(light, kNames);
  }
  return Coverage{std::move(*raster), std::move(*style)};
}

std::vector<core::Collection> TilesApi::layers(bool dataset, const http::Request& request) {
  if (!dataset) {
    const auto& id = request.path_param("collectionId");
    auto c = store_.collection(id);
    if (!c) throw core::NotFound("no collection '" + id + "'");
    if (request.path_params.count("styleId") && styles_.version(*c, request.path_param("styleId")).empty())
      throw core::NotFound("no style '" + request.path_param("styleId") + "' for collection '" + id + "'");
    return {std::move(*c)};
  }
  auto all = store_.collections();
  const auto wanted = request.param("collections");
  if (!wanted) {
    std::erase_if(all, [](const core::Collection& c) { return !core::is_map_layer(c); });
    return all;
  }
  std::vector<core::Collection> chosen;
  for (const auto& id : split_ids(*wanted)) {
    auto it = std::find_if(all.begin(), all.end(), [&](const core::Collection& c) { return c.id == id; });
    if (it == all.end()) throw core::InvalidParameter("collections", "no collection '" + id + "'");
    // A tile has one layer per name (MVT 2.1, 4.1): a repeated id counts once.
    if (std::none_of(chosen.begin(), chosen.end(), [&](const core::Collection& c) { return c.id == id; }))
      chosen.push_back(*it);
  }
  if (chosen.empty()) throw core::InvalidParameter("collections", "collections names no collection");
  const int most = render::render_gate().limits().layer_limit;  // as WMS's LayerLimit
  if (chosen.size() > static_cast<std::size_t>(most))
    throw core::InvalidParameter("collections", "at most " + std::to_string(most) + " collections make one tile");
  return chosen;
}

void TilesApi::tile_matrix_sets(http::Request& request, http::Response& response) {
  send_json(response, tile_matrix_sets_json(base_url(request)));
}

void TilesApi::tile_matrix_set(http::Request& request, http::Response& response) {
  send_json(response, tile_matrix_set_json(require_set(request)));
}

namespace {

TilesetTarget target_of(const std::string& base, bool vector, bool dataset, const http::Request& request,
                        std::vector<core::Collection> layers) {
  TilesetTarget t;
  t.vector = vector;
  const std::string tiles = vector ? "/tiles" : "/map/tiles";
  if (dataset) {
    t.prefix = base + tiles;
    t.title = vector ? "Vector tiles of the AMIS collections" : "Map of the AMIS collections";
    if (auto c = request.param("collections")) t.query = "?collections=" + http::percent_encode(*c);
  } else if (request.path_params.count("styleId")) {
    const auto& style = request.path_param("styleId");
    t.prefix = base + "/collections/" + http::percent_encode(layers.front().id) + "/styles/" +
               http::percent_encode(style) + tiles;
    t.title = layers.front().title + " (style " + style + ")";
  } else {
    t.prefix = base + "/collections/" + http::percent_encode(layers.front().id) + tiles;
    t.title = layers.front().title;
  }
  t.layers = std::move(layers);
  return t;
}

}  // namespace

std::vector<core::Collection> TilesApi::layers(Kind kind, bool dataset, const http::Request& request) {
  if (auto c = coverage(kind, dataset, request)) return {amis::tiles::raster_layer_collection(c->raster)};
  return layers(dataset, request);
}

void TilesApi::tilesets(Kind kind, bool dataset, http::Request& request, http::Response& response) {
  const auto base = base_url(request);
  send_json(response, tilesets_json(base, target_of(base, kind == Kind::Vector, dataset, request,
                                                    layers(kind, dataset, request))));
}

void TilesApi::tileset(Kind kind, bool dataset, http::Request& request, http::Response& response) {
  const auto& set = require_set(request);
  const auto base = base_url(request);
  send_json(response, tileset_json(base, target_of(base, kind == Kind::Vector, dataset, request,
                                                   layers(kind, dataset, request)),
                                   set));
}

void TilesApi::tile(Kind kind, bool dataset, http::Request& request, http::Response& response) {
  const auto& set = require_set(request);
  const TileAddress address{static_cast<int>(std::clamp(tile_index(request, "tileMatrix"), -1LL, 1000LL)),
                            tile_index(request, "tileRow"), tile_index(request, "tileCol")};
  if (!amis::tiles::contains(set, address))
    throw core::NotFound("tile " + request.path_param("tileMatrix") + "/" + request.path_param("tileRow") + "/" +
                         request.path_param("tileCol") + " is outside " + set.id);
  if (auto c = coverage(kind, dataset, request)) {
    if (request.param("filter"))
      throw core::InvalidParameter("filter", "coverage '" + c->raster.id + "' has no features to filter");
    const auto format = map_format(request);
    response.send(200, render::media_type(format),
                  maker_.coverage_tile(set, address, c->raster, format, transparent_parameter(request), c->style),
                  http::cache_headers(request));
    return;
  }
  auto collections = layers(dataset, request);
  // A CQL2 filter for one collection's tiles (as for its items); the properties of
  // several collections differ, so a dataset's tiles take none.
  const auto filter = features::parse_filter(request);
  if (filter) {
    if (dataset) throw core::InvalidParameter("filter", "a filter is for the tiles of one collection");
    query::check_crs84_literals(*filter);
  }
  const http::Headers headers = http::cache_headers(request);
  if (kind == Kind::Vector) {
    response.send(200, kMvtMediaType, maker_.vector_tile(set, address, collections, filter), headers);
    return;
  }
  const auto format = map_format(request);
  const bool transparent = transparent_parameter(request);
  std::vector<amis::tiles::TileMaker::LayerStyle> styles;
  if (request.path_params.count("styleId")) {
    const auto& name = request.path_param("styleId");
    styles.push_back({styles_.find(collections.front(), name), styles_.version(collections.front(), name)});
  }
  response.send(200, render::media_type(format),
                maker_.map_tile(set, address, collections, format, transparent, styles, filter), headers);
}

}  // namespace amis::api::tiles
