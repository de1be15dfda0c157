#include "api/styles/styles_api.hpp"

#include <nlohmann/json.hpp>

#include "api/common/exception_response.hpp"
#include "core/error.hpp"
#include "render/map_renderer.hpp"

namespace amis::api::styles {
namespace {

constexpr const char* kSld10 = "application/vnd.ogc.sld+xml;version=1.0";
constexpr const char* kSld11 = "application/vnd.ogc.sld+xml;version=1.1";

// The SLD version a document declares on its root (1.1.0 for SE 1.1).
const char* sld_media_type(const std::string& sld) {
  const auto root = sld.find("StyledLayerDescriptor");
  const auto v11 = sld.find("version=\"1.1.0\"", root == std::string::npos ? 0 : root);
  return v11 != std::string::npos && v11 < root + 400 ? kSld11 : kSld10;
}

}  // namespace

void StylesApi::register_routes(http::Router& router) {
  using R = http::Request;
  using S = http::Response;
  router.add("GET", "/collections/{collectionId}/styles", with_ogcapi_errors([this](R& q, S& s) { list(q, s); }));
  router.add("GET", "/collections/{collectionId}/styles/{styleId}", with_ogcapi_errors([this](R& q, S& s) { get(q, s); }));
  router.add("GET", "/collections/{collectionId}/styles/{styleId}/legend",
             with_ogcapi_errors([this](R& q, S& s) { legend(q, s); }));
  router.add("PUT", "/collections/{collectionId}/styles/{styleId}", with_ogcapi_errors([this](R& q, S& s) { put(q, s); }));
  router.add("DELETE", "/collections/{collectionId}/styles/{styleId}",
             with_ogcapi_errors([this](R& q, S& s) { remove(q, s); }));
}

std::string StylesApi::base_url(const http::Request& request) const {
  return http::base_url(request, base_url_);
}

core::Collection StylesApi::require_collection(const http::Request& request) {
  const auto& id = request.path_param("collectionId");
  auto c = store_.collection(id);
  if (!c) throw core::NotFound("no collection '" + id + "'");
  return std::move(*c);
}

void StylesApi::list(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  const std::string href = base_url(request) + "/collections/" + http::percent_encode(c.id) + "/styles";
  nlohmann::json styles = nlohmann::json::array();
  for (const auto& s : catalog_.list(c)) {
    const std::string self = href + "/" + http::percent_encode(s.name);
    nlohmann::json links = nlohmann::json::array();
    if (s.name != "default") {
      const auto stored = store_.style(c.id, s.name);
      links.push_back({{"href", self}, {"rel", "stylesheet"}, {"type", stored ? sld_media_type(stored->sld) : kSld10},
                       {"title", "The style as SLD"}});
    }
    links.push_back({{"href", self + "/legend"}, {"rel", "describedby"}, {"type", "image/png"}, {"title", "Legend"}});
    nlohmann::json entry = {{"id", s.name}, {"title", s.title}, {"links", links}};
    if (!s.abstract.empty()) entry["description"] = s.abstract;
    styles.push_back(entry);
  }
  nlohmann::json doc = {{"default", "default"},
                        {"styles", styles},
                        {"links", {{{"href", href}, {"rel", "self"}, {"type", "application/json"}}}}};
  response.send(200, "application/json", doc.dump());
}

void StylesApi::get(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  const auto& name = request.path_param("styleId");
  if (name == "default")
    throw core::NotFound("the default style is drawn by geometry type and has no SLD document; see its legend");
  auto s = amis::styles::valid_style_name(name) ? store_.style(c.id, name) : std::nullopt;
  if (!s) throw core::NotFound("no style '" + name + "' for collection '" + c.id + "'");
  response.send(200, sld_media_type(s->sld), s->sld);
}

void StylesApi::legend(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  const auto& name = request.path_param("styleId");
  auto style = catalog_.find(c, name);
  if (!style) throw core::NotFound("no style '" + name + "' for collection '" + c.id + "'");
  response.send(200, "image/png", render::render_legend(c, *style, {}));
}

void StylesApi::put(http::Request& request, http::Response& response) {
  authenticator_.require(request, {auth::Role::Admin}, "changing styles");
  const auto c = require_collection(request);
  const auto stored = catalog_.put(c, request.path_param("styleId"), request.body);
  response.send(200, "application/json",
                nlohmann::json{{"id", stored.name}, {"title", stored.title}, {"updated", stored.updated}}.dump());
}

void StylesApi::remove(http::Request& request, http::Response& response) {
  authenticator_.require(request, {auth::Role::Admin}, "changing styles");
  const auto c = require_collection(request);
  const auto& name = request.path_param("styleId");
  if (!store_.remove_style(c.id, name)) throw core::NotFound("no style '" + name + "' for collection '" + c.id + "'");
  response.send(204, "application/json", "");
}

}  // namespace amis::api::styles
