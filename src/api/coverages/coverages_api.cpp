#include "api/coverages/coverages_api.hpp"

#include <charconv>
#include <cstdio>

#include "api/common/coverage_answer.hpp"
#include "api/common/exception_response.hpp"
#include "api/coverages/coverage_documents.hpp"
#include "api/coverages/coverage_html.hpp"
#include "api/coverages/coverage_query.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"
#include "coverage/coverage_output.hpp"
#include "coverage/coverage_plan.hpp"

namespace amis::api::coverages {
namespace {

void send_json(http::Response& response, const nlohmann::json& doc, const char* type = "application/json") {
  response.send(200, type, doc.dump());
}

void only_f(const http::Request& request) {
  for (const auto& [name, value] : request.query) {
    if (name != "f") throw core::UnknownParameter(name.substr(0, 64));
    if (value != "json") throw core::NotAcceptable("this resource is offered as JSON (f=json)");
  }
}

std::string number(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// Content-Crs and Content-Bbox (in the CRS's own axis order), as the draft asks.
http::Headers content_headers(const coverage::CoveragePlan& plan, const http::Request& request) {
  http::Headers headers = http::cache_headers(request);
  if (plan.crs) headers.emplace_back("Content-Crs", "<" + plan.crs->uri() + ">");
  const bool swap = plan.crs && coverage::north_first(*plan.crs);
  const auto& b = plan.box;
  headers.emplace_back("Content-Bbox", swap ? number(b.min_y) + "," + number(b.min_x) + "," + number(b.max_y) + "," +
                                                  number(b.max_x)
                                            : number(b.min_x) + "," + number(b.min_y) + "," + number(b.max_x) + "," +
                                                  number(b.max_y));
  return headers;
}

}  // namespace

void CoveragesApi::register_routes(http::Router& router) {
  auto bind = [this](void (CoveragesApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("GET", "/collections/{collectionId}/coverage", bind(&CoveragesApi::coverage));
  router.add("GET", "/collections/{collectionId}/coverage/domainset", bind(&CoveragesApi::domain_set));
  router.add("GET", "/collections/{collectionId}/coverage/rangetype", bind(&CoveragesApi::range_type));
  router.add("GET", "/collections/{collectionId}/schema", bind(&CoveragesApi::schema));
}

std::string CoveragesApi::base_url(const http::Request& request) const {
  return http::base_url(request, base_url_);
}

store::RasterLayer CoveragesApi::require_layer(const http::Request& request) {
  const auto& id = request.path_param("collectionId");
  auto layer = store_.raster(id);
  if (!layer) throw core::NotFound("no coverage '" + id.substr(0, 64) + "'");
  return std::move(*layer);
}

std::vector<nlohmann::json> CoveragesApi::collection_entries(const std::string& base) {
  std::vector<nlohmann::json> out;
  for (const auto& layer : store_.rasters()) {
    try {
      out.push_back(coverage_collection_json(base, layer, open_grids_.lease(layer.path).info()));
    } catch (const core::OgcError&) {  // a file gone missing hides its layer, not the list
    }
  }
  return out;
}

std::optional<nlohmann::json> CoveragesApi::collection_entry(const std::string& id, const std::string& base) {
  auto layer = store_.raster(id);
  if (!layer) return std::nullopt;
  return coverage_collection_json(base, *layer, open_grids_.lease(layer->path).info());
}

store::RasterLayer CoveragesApi::as_it_was(http::Request& request, store::RasterLayer layer) {
  if (!past_) return layer;
  std::optional<std::string> version, instant;
  for (auto it = request.query.begin(); it != request.query.end();) {
    auto* wanted = it->first == "version" ? &version : it->first == "asOf" ? &instant : nullptr;
    if (!wanted) {
      ++it;
      continue;
    }
    if (*wanted) throw core::InvalidParameter(it->first, "given more than once");
    *wanted = it->second;
    it = request.query.erase(it);
  }
  if (!version && !instant) return layer;
  if (version && instant) throw core::InvalidParameter("version", "give version or asOf, not both");
  std::optional<std::int64_t> number;
  std::string normalised;
  if (version) {
    std::int64_t v = -1;
    const auto [end, ec] = std::from_chars(version->data(), version->data() + version->size(), v);
    if (ec != std::errc{} || end != version->data() + version->size() || v < 0)
      throw core::InvalidParameter("version", "'" + version->substr(0, 32) +
                                                  "' is not a version number (0, 1, ... as /coverage/history "
                                                  "lists them)");
    number = v;
  } else {
    const auto parsed = core::parse_instant(*instant);
    if (!parsed || parsed->find('T') == std::string::npos)
      throw core::InvalidParameter("asOf", "an instant such as 2026-11-27T10:00:00Z");
    normalised = *parsed;
  }
  auto past = past_(layer, number, normalised);
  if (!past)
    throw core::NotFound("coverage '" + layer.id + "' has no " +
                         (number ? "version " + std::to_string(*number) : "grid kept from " + normalised) +
                         " (see /collections/" + layer.id + "/coverage/history)");
  return std::move(*past);
}

void CoveragesApi::coverage(http::Request& request, http::Response& response) {
  const auto layer = as_it_was(request, require_layer(request));
  const auto info = open_grids_.lease(layer.path).info();
  const auto bands = served_bands(layer, info);
  if (wants_html(request)) {
    for (const auto& [name, value] : request.query)
      if (name != "f") throw core::InvalidParameter(name.substr(0, 64), "the HTML page takes no parameter but f");
    return response.send(200, "text/html; charset=utf-8", coverage_html_page(base_url(request), layer, info, bands),
                         http::cache_headers(request));
  }
  const auto wanted = parse_coverage_query(request, info, bands);
  const auto plan = coverage::plan_coverage(info, wanted, limits_);
  auto encoded = coverage::encode_coverage(open_grids_, layer.path, plan, bands);
  auto headers = content_headers(plan, request);
  const char* extension = plan.encoding == coverage::Encoding::Png            ? ".png"
                          : plan.encoding == coverage::Encoding::CoverageJson ? ".covjson"
                                                                              : ".tif";
  headers.emplace_back("Content-Disposition", "inline; filename=\"" + layer.id + extension + "\"");
  send_coverage(response, encoded, encoded.media_type, headers);
}

void CoveragesApi::domain_set(http::Request& request, http::Response& response) {
  only_f(request);
  const auto layer = require_layer(request);
  send_json(response, domain_set_json(open_grids_.lease(layer.path).info()));
}

void CoveragesApi::range_type(http::Request& request, http::Response& response) {
  only_f(request);
  const auto layer = require_layer(request);
  send_json(response, range_type_json(layer, open_grids_.lease(layer.path).info()));
}

void CoveragesApi::schema(http::Request& request, http::Response& response) {
  only_f(request);
  const auto layer = require_layer(request);
  send_json(response, fields_schema_json(base_url(request), layer, open_grids_.lease(layer.path).info()),
            "application/schema+json");
}

}  // namespace amis::api::coverages
