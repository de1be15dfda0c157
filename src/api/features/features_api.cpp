#include "api/features/features_api.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "api/common/downloads.hpp"
#include "api/common/exception_response.hpp"
#include "api/common/negotiation.hpp"
#include "api/features/documents.hpp"
#include "api/features/html_pages.hpp"
#include "api/features/openapi.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"
#include "core/returned_features.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/geojson_writer.hpp"

namespace amis::api::features {
namespace {

constexpr const char* kGeoJson = "application/geo+json";
constexpr const char* kHtml = "text/html; charset=utf-8";
http::Headers crs_headers(const core::Crs& crs) { return {{"Content-Crs", "<" + crs.uri() + ">"}}; }

// The reprojection for `crs`, or none for CRS84 (the fast path).
std::unique_ptr<encode::CoordinateTransform> transform_for(const core::Crs& crs) {
  if (crs.is_crs84()) return nullptr;
  return std::make_unique<encode::CoordinateTransform>(crs, "crs");
}

void send_json(http::Response& response, const nlohmann::json& doc,
               const char* type = "application/json", const http::Headers& headers = {}) {
  response.send(200, type, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                headers);
}

// The request's query string with the page replaced, for paging links: `offset`
// (the page's position) and, for keyset paging, `after` (the last id of the
// previous page) come last; without `crs` for the HTML map, which draws in CRS84.
std::string query_with_page(const http::Request& request, std::int64_t offset, std::optional<std::int64_t> after,
                            const char* f, bool keep_crs = true) {
  std::string q;
  for (const auto& [name, value] : request.query) {
    if (name == "offset" || name == "after" || name == "f" || (name == "crs" && !keep_crs)) continue;
    if (name == "download" && std::string_view(f) == "html") continue;  // a page is not a file
    q += (q.empty() ? "?" : "&") + http::percent_encode(name) + "=" + http::percent_encode(value);
  }
  q += (q.empty() ? "?" : "&") + std::string("f=") + f;
  if (offset > 0 || after) q += "&offset=" + std::to_string(offset);
  if (after) q += "&after=" + std::to_string(*after);
  return q;
}

// The conditions of an items request, for its count's key: its parameters in a
// fixed order without those of the page (limit, offset, after), of the output
// (f, crs, properties, download) and the order (sortby), none of which change
// which features match.
std::string count_conditions(const http::Request& request) {
  std::vector<std::string> conditions;
  for (const auto& [name, value] : request.query) {
    if (name == "limit" || name == "offset" || name == "after" || name == "f" || name == "crs" ||
        name == "properties" || name == "download" || name == "sortby")
      continue;
    conditions.push_back(http::percent_encode(name) + "=" + http::percent_encode(value));
  }
  std::sort(conditions.begin(), conditions.end());
  std::string text;
  for (const auto& c : conditions) text += c + '&';
  return text;
}

// Passes features on to an encoder and remembers the last id, where the next
// page starts (keyset paging).
class LastIdSink final : public core::FeatureSink {
 public:
  explicit LastIdSink(core::FeatureSink& next) : next_(next) {}
  void begin(const core::Collection& collection) override { next_.begin(collection); }
  void feature(const core::FeatureView& feature) override {
    last_id_ = feature.id;
    next_.feature(feature);
  }
  void end() override { next_.end(); }
  std::optional<std::int64_t> last_id() const { return last_id_; }

 private:
  core::FeatureSink& next_;
  std::optional<std::int64_t> last_id_;
};

std::int64_t parse_feature_id(const std::string& text, const std::string& collection) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size())
    throw core::NotFound("no feature '" + text + "' in collection '" + collection + "'");
  return id;
}

void reject_parameters(const http::Request& request, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.query) {
    bool ok = false;
    for (auto k : known) ok = ok || name == k;
    if (!ok) throw core::UnknownParameter(name);
  }
}

}  // namespace

void FeaturesApi::register_routes(http::Router& router) {
  auto bind = [this](void (FeaturesApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("GET", "/", bind(&FeaturesApi::landing_page));
  router.add("GET", "/conformance", bind(&FeaturesApi::conformance));
  router.add("GET", "/api", bind(&FeaturesApi::api_definition));
  router.add("GET", "/collections", bind(&FeaturesApi::collections));
  router.add("GET", "/functions", bind(&FeaturesApi::functions));
  router.add("GET", "/collections/{collectionId}", bind(&FeaturesApi::collection));
  router.add("GET", "/collections/{collectionId}/queryables", bind(&FeaturesApi::queryables));
  router.add("GET", "/collections/{collectionId}/items", bind(&FeaturesApi::items));
  router.add("GET", "/collections/{collectionId}/items/{featureId}", bind(&FeaturesApi::item));
}

std::string FeaturesApi::base_url(const http::Request& request) const {
  return http::base_url(request, info_.base_url);
}

core::Collection FeaturesApi::require_collection(const http::Request& request) {
  const auto& id = request.path_param("collectionId");
  auto collection = store_.collection(id);
  if (!collection) throw core::NotFound("no collection '" + id + "'");
  return std::move(*collection);
}

void FeaturesApi::landing_page(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  const auto base = base_url(request);
  if (negotiate(request) == Format::Html)
    return response.send(200, kHtml, html_landing_page(base, info_.title, info_.description));
  send_json(response, landing_page_json(base, info_.title, info_.description));
}

void FeaturesApi::conformance(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  const auto base = base_url(request);
  if (negotiate(request) == Format::Html)
    return response.send(200, kHtml, html_conformance(base, conformance_classes()));
  send_json(response, conformance_json(base));
}

void FeaturesApi::api_definition(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  const auto base = base_url(request);
  const auto doc = openapi_document(base, info_, store_.collections());
  if (negotiate(request) == Format::Html)
    return response.send(200, kHtml, html_api_page(base, doc));
  send_json(response, doc, "application/vnd.oai.openapi+json;version=3.0");
}

void FeaturesApi::functions(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  if (negotiate(request) == Format::Html) throw core::NotAcceptable("/functions is offered as JSON");
  send_json(response, functions_json(base_url(request)));
}

void FeaturesApi::collections(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  const auto base = base_url(request);
  const auto list = store_.collections();
  if (negotiate(request) == Format::Html)
    return response.send(200, kHtml, html_collections(base, list));
  auto doc = collections_json(base, list);
  if (others_)
    for (auto& other : others_(base)) doc["collections"].push_back(std::move(other));
  send_json(response, doc);
}

void FeaturesApi::collection(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  const auto base = base_url(request);
  if (other_ && !store_.collection(request.path_param("collectionId"))) {
    if (auto doc = other_(request.path_param("collectionId"), base)) {
      if (negotiate(request) == Format::Html) throw core::NotAcceptable("a coverage's collection is offered as JSON");
      return send_json(response, *doc);
    }
  }
  const auto c = require_collection(request);
  if (negotiate(request) == Format::Html)
    return response.send(200, kHtml, html_collection(base, c));
  send_json(response, collection_json(base, c));
}

void FeaturesApi::queryables(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  const auto base = base_url(request);
  const auto c = require_collection(request);
  const auto doc = queryables_json(base, c, values_.of(c));
  if (negotiate(request) == Format::Html)
    return response.send(200, kHtml, html_queryables(base, c, doc));
  send_json(response, doc, "application/schema+json");
}

void FeaturesApi::items_as_of(http::Request& request, http::Response& response, const core::Collection& c,
                              std::string_view instant) {
  reject_parameters(request, {"asOf", "limit", "offset", "f"});
  if (auto f = request.param("f"); f && *f != "json" && *f != "geojson")
    throw core::InvalidParameter("f", "a collection as it was is served as GeoJSON (f=json)");
  const auto normalised = core::parse_instant(instant);
  if (!normalised || normalised->find('T') == std::string::npos)
    throw core::InvalidParameter("asOf", "an instant such as 2026-11-27T10:00:00Z");
  auto number = [&](const char* name, std::int64_t fallback, std::int64_t max) {
    auto text = request.param(name);
    if (!text) return fallback;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || end != text->data() + text->size() || v < 0)
      throw core::InvalidParameter(name, "'" + std::string(*text) + "' is not an integer >= 0");
    return std::min(v, max);
  };
  const std::int64_t limit = std::max<std::int64_t>(1, number("limit", info_.limits.default_limit, info_.limits.max_limit));
  const std::int64_t offset = number("offset", 0, std::numeric_limits<std::int64_t>::max() / 2);
  const auto base = base_url(request);
  const std::string href = base + "/collections/" + c.id + "/items?asOf=" + http::percent_encode(instant);
  auto links = [&](std::int64_t returned) {
    std::vector<encode::Link> l = {
        {href + "&limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset), "self", kGeoJson,
         "This page of the collection as it was at " + *normalised}};
    if (returned == limit)
      l.push_back({href + "&limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset + limit), "next",
                   kGeoJson, "Next page"});
    return l;
  };
  auto& out = response.stream(200, kGeoJson, crs_headers(core::Crs{}));
  encode::GeoJsonFeatureCollection sink(out, std::nullopt, links);
  sink.begin(c);
  as_of_(c, *normalised, limit, offset, sink);
  sink.end();
}

void FeaturesApi::items(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  if (auto instant = request.param("asOf"); instant && as_of_) return items_as_of(request, response, c, *instant);
  const auto query = parse_items_request(request, c, info_.limits);
  if (auto f = request.param("f")) {
    if (const auto* download = find_download_format(*f)) {
      if (!query.crs.is_crs84())
        throw core::InvalidParameter("crs", std::string(download->name) + " downloads are in CRS84");
      return send_download(store_, c, query, *download, response);
    }
  }
  const Format format = negotiate(request);
  const auto base = base_url(request);
  const std::string href = base + "/collections/" + c.id + "/items";
  const core::Collection output = core::project(c, query.properties);

  const auto transform = transform_for(query.crs);
  const bool download = is_download_request(request);
  if (format == Format::Html) {
    if (download) throw core::InvalidParameter("download", "an HTML page is not a download; ask for f=geojson");
    const auto count_key = CountCache::key(c, count_conditions(request));
    const auto known = counts_.find(count_key);
    const std::int64_t matched = known ? *known : store_.count(c, query);  // the page says it first
    if (!known) counts_.put(count_key, matched);
    auto& out = response.stream(200, kHtml, crs_headers(core::Crs{}));  // the map draws in CRS84
    HtmlItemsPage page(out, base, output, query, matched,
                       query_with_page(request, query.offset, query.after, "json", /*keep_crs=*/false));
    page.begin(output);
    core::ReturnedFeatures::add(store_.features(c, query, page));
    page.end();
    return;
  }

  std::int64_t matched = 0;  // counted with the page, known before the links are written
  std::optional<LastIdSink> paged;  // set before the links are asked for
  auto links = [&](std::int64_t returned) {
    std::vector<encode::Link> l = {
        {href + query_with_page(request, query.offset, query.after, "json"), "self", kGeoJson, "This page"},
        {href + query_with_page(request, query.offset, query.after, "html"), "alternate", "text/html",
         "This page as HTML"},
        {base + "/collections/" + c.id + "?f=json", "collection", "application/json",
         "The collection"}};
    if (returned == query.limit && query.offset + returned < matched) {
      // In id order the next page starts after this page's last id: page 1,000
      // costs what page 1 does. With sortby it is an offset.
      const auto after = query.sortby.empty() && paged ? paged->last_id() : std::nullopt;
      l.push_back({href + query_with_page(request, query.offset + query.limit, after, "json"), "next",
                   kGeoJson, "Next page"});
    }
    if (query.offset > 0)
      l.push_back({href + query_with_page(request, std::max<std::int64_t>(0, query.offset - query.limit),
                                          std::nullopt, "json"),
                   "prev", kGeoJson, "Previous page"});
    return l;
  };
  auto headers = crs_headers(query.crs);
  if (download)  // one file of up to max_download_features, streamed like a page
    headers.push_back({"Content-Disposition", "attachment; filename=\"" + c.id + ".geojson\""});
  auto& out = response.stream(200, kGeoJson, headers);
  encode::GeoJsonFeatureCollection sink(out, std::nullopt, links, transform.get());
  paged.emplace(sink);
  sink.begin(output);
  // The pages after the first ask the same count: it is kept per collection version.
  const auto count_key = CountCache::key(c, count_conditions(request));
  if (const auto known = counts_.find(count_key)) {
    core::ReturnedFeatures::add(store_.features(c, query, *paged));
    matched = *known;
  } else {
    core::ReturnedFeatures::add(store_.features(c, query, *paged, &matched));
    counts_.put(count_key, matched);
  }
  sink.set_number_matched(matched);
  sink.end();
}

void FeaturesApi::item(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f", "crs"});
  core::Crs crs;
  if (auto text = request.param("crs")) {
    auto parsed = core::parse_crs(*text);
    if (!parsed) throw core::InvalidParameter("crs", "'" + std::string(*text) + "' is not a CRS URI");
    crs = *parsed;
  }
  const auto transform = transform_for(crs);
  const auto c = require_collection(request);
  const auto& fid = request.path_param("featureId");
  const std::int64_t id = parse_feature_id(fid, c.id);
  const Format format = negotiate(request);
  const auto base = base_url(request);
  const std::string href = base + "/collections/" + c.id + "/items/" + fid;
  std::string body;
  bool found = false;
  if (format == Format::Html) {
    HtmlFeaturePage page(body, base, c);
    page.begin(c);
    found = store_.feature(c, id, page);
    page.end();
    if (found) core::ReturnedFeatures::add(1);
    if (found) return response.send(200, kHtml, std::move(body), crs_headers(core::Crs{}));
  } else {
    encode::GeoJsonFeature sink(
        body, {{href + "?f=json", "self", kGeoJson, "This feature"},
               {href + "?f=html", "alternate", "text/html", "This feature as HTML"},
               {base + "/collections/" + c.id + "?f=json", "collection", "application/json",
                "The collection"}},
        transform.get());
    sink.begin(c);
    found = store_.feature(c, id, sink);
    if (found) {
      core::ReturnedFeatures::add(1);
      auto headers = crs_headers(crs);
      if (etags_)
        if (auto etag = etags_(c, id)) headers.emplace_back("ETag", *etag);
      return response.send(200, kGeoJson, std::move(body), headers);
    }
  }
  throw core::NotFound("no feature '" + fid + "' in collection '" + c.id + "'");
}

}  // namespace amis::api::features
