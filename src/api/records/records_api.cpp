#include "api/records/records_api.hpp"

#include "api/common/exception_response.hpp"
#include "api/common/negotiation.hpp"
#include "api/records/records_documents.hpp"
#include "api/records/records_federated.hpp"
#include "api/records/records_html.hpp"
#include "api/records/records_request.hpp"
#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "edit/change_set.hpp"
#include "encode/iso19139_writer.hpp"
#include "http/conditional.hpp"

namespace amis::api::records {
namespace {

using nlohmann::json;

constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr const char* kGeoJson = "application/geo+json";

std::string dump(const json& doc) { return doc.dump(-1, ' ', false, json::error_handler_t::replace); }

void reject_parameters(const http::Request& request, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.query) {
    bool ok = false;
    for (auto k : known) ok = ok || name == k;
    if (!ok) throw core::UnknownParameter(name);
  }
}

// f=xml or an Accept header preferring XML: the ISO 19139 encoding of a record.
bool wants_iso_xml(const http::Request& request) {
  if (auto f = request.param("f")) return *f == "xml" || *f == "iso19139";
  const auto accept = request.header("accept");
  return accept.starts_with("application/xml") || accept.starts_with("text/xml") ||
         accept.starts_with("application/vnd.iso.19139+xml");
}

// The request's query string with `offset` and `f` replaced, for paging links.
std::string query_with(const http::Request& request, std::int64_t offset, const char* f) {
  std::string q;
  for (const auto& [name, value] : request.query) {
    if (name == "offset" || name == "f") continue;
    q += (q.empty() ? "?" : "&") + http::percent_encode(name) + "=" + http::percent_encode(value);
  }
  q += (q.empty() ? "?" : "&") + std::string("f=") + f;
  if (offset > 0) q += "&offset=" + std::to_string(offset);
  return q;
}

// Streams the records of a search as a Records GeoJSON FeatureCollection; the
// response starts with the first record (or after the search for none), so an
// error before it is still a 400.
// The version of the JSON a page of records is written in: raised when record_json or
// the page's members change, so that a page a client kept is not revalidated across it.
constexpr int kRecordsPageEncoding = 1;

// The weak ETag of a page of records as JSON: the same while the stored records, the
// request's path and parameters and the base URL of its links are. The records' tag is
// read before the page: a write meanwhile gives the next request another ETag.
std::string records_page_etag(std::string_view records_tag, std::string_view base, const http::Request& request) {
  std::string key = std::to_string(kRecordsPageEncoding);
  auto add = [&key](std::string_view part) {
    key += ' ';
    key += std::to_string(part.size());
    key += ':';
    key += part;
  };
  add(records_tag);
  add(base);
  add(request.path);
  for (const auto& [name, value] : request.query) {
    add(name);
    add(value);
  }
  return http::weak_etag(key);
}

class GeoJsonRecords final : public store::RecordSink {
 public:
  GeoJsonRecords(http::Response& response, std::string base, http::Headers headers)
      : response_(response), base_(std::move(base)), headers_(std::move(headers)) {}
  void record(const catalog::Record& r) override {
    start();
    out_->write((first_ ? "" : ",") + dump(record_json(r, base_)));
    first_ = false;
  }
  void finish(const store::SearchSummary& summary, json links) {
    start();
    json tail{{"numberReturned", summary.returned}, {"links", std::move(links)}};
    if (summary.matched) tail["numberMatched"] = *summary.matched;
    if (!summary.facets.empty()) tail["facets"] = facets_json(summary.facets);
    tail["timeStamp"] = timestamp();
    const std::string t = dump(tail);
    out_->write("]," + t.substr(1));  // the members after "features"
  }

 private:
  void start() {
    if (out_) return;
    out_ = &response_.stream(200, kGeoJson, headers_);
    out_->write("{\"type\":\"FeatureCollection\",\"features\":[");
  }
  static std::string timestamp() {
    char buf[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }
  http::Response& response_;
  std::string base_;
  http::Headers headers_;
  core::ByteSink* out_ = nullptr;
  bool first_ = true;
};

// The HTML page streams from its first record too.
class LazyHtml final : public core::ByteSink {
 public:
  explicit LazyHtml(http::Response& response) : response_(response) {}
  void write(std::string_view bytes) override {
    if (!out_) out_ = &response_.stream(200, kHtml);
    out_->write(bytes);
  }

 private:
  http::Response& response_;
  core::ByteSink* out_ = nullptr;
};

}  // namespace

void RecordsApi::register_routes(http::Router& router) {
  auto bind = [this](void (RecordsApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  const std::string path = std::string("/collections/") + kCatalogId;
  router.add("GET", path, bind(&RecordsApi::catalog));
  router.add("GET", path + "/items", bind(&RecordsApi::items));
  router.add("GET", path + "/items/{recordId}", bind(&RecordsApi::item));
  router.add("GET", path + "/queryables", bind(&RecordsApi::queryables));
  router.add("GET", path + "/sortables", bind(&RecordsApi::sortables));
}

std::string RecordsApi::base_url(const http::Request& request) const { return http::base_url(request, info_.base_url); }

json RecordsApi::collection_entry(const std::string& base) {
  keeper_.ensure_current();
  return catalog_json(base, info_.title, info_.description, catalog_.size());
}

void RecordsApi::catalog(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  keeper_.ensure_current();
  const auto base = base_url(request);
  if (negotiate(request) == Format::Html)
    return response.send(200, kHtml, html_catalog(base, info_.title, info_.description, catalog_.size()));
  response.send(200, "application/json", dump(catalog_json(base, info_.title, info_.description, catalog_.size())));
}

void RecordsApi::items(http::Request& request, http::Response& response) {
  const auto query = parse_records_request(request);
  const auto hop_count = parse_federated(request);
  const Format format = negotiate(request);
  if (hop_count && !distributed_) throw core::InvalidParameter("federated", "this server searches no other nodes");
  if (hop_count && format == Format::Html) throw core::NotAcceptable("a distributed search answers in GeoJSON");
  keeper_.ensure_current();
  const auto base = base_url(request);
  if (hop_count) return federated_items(catalog_, *distributed_, query, *hop_count, request, base, response);
  const std::string items = catalog_path(base) + "/items";
  const char* f = format == Format::Html ? "html" : "json";
  auto paging = [&](const store::SearchSummary& s, std::string& prev, std::string& next) {
    const std::int64_t limit = query.limit.value_or(s.returned);
    if (query.offset > 0) prev = items + query_with(request, std::max<std::int64_t>(0, query.offset - limit), f);
    const bool more = s.matched ? query.offset + s.returned < *s.matched : s.returned == limit;
    if (more && s.returned > 0) next = items + query_with(request, query.offset + s.returned, f);
  };
  if (format == Format::Html) {
    LazyHtml out(response);
    HtmlRecordsPage page(out, base, query, query_with(request, query.offset, "json"));
    const auto summary = catalog_.search(query, page);
    std::string prev, next;
    paging(summary, prev, next);
    return page.finish(summary, prev, next);
  }
  // A harvesting node revalidates the pages it listed last time (If-None-Match): 304.
  const http::Headers etag{{"ETag", records_page_etag(catalog_.records_tag(), base, request)}};
  if (response.not_modified(kGeoJson, etag)) return;
  GeoJsonRecords out(response, base, etag);
  const auto summary = catalog_.search(query, out);
  std::string prev, next;
  paging(summary, prev, next);
  json links = json::array(
      {{{"href", items + query_with(request, query.offset, "json")}, {"rel", "self"}, {"type", kGeoJson}, {"title", "This page"}},
       {{"href", items + query_with(request, query.offset, "html")}, {"rel", "alternate"}, {"type", "text/html"}, {"title", "This page as HTML"}},
       {{"href", catalog_path(base)}, {"rel", "collection"}, {"type", "application/json"}, {"title", "The catalogue"}}});
  if (!prev.empty()) links.push_back({{"href", prev}, {"rel", "prev"}, {"type", kGeoJson}, {"title", "Previous page"}});
  if (!next.empty()) links.push_back({{"href", next}, {"rel", "next"}, {"type", kGeoJson}, {"title", "Next page"}});
  out.finish(summary, std::move(links));
}

void RecordsApi::item(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  const bool iso = wants_iso_xml(request);
  const Format format = iso ? Format::Json : negotiate(request);
  keeper_.ensure_current();
  const auto& id = request.path_param("recordId");
  auto record = catalog::is_valid_record_id(id) ? catalog_.record(id) : std::nullopt;
  if (!record) throw core::NotFound("no record '" + id + "' in the catalogue");
  const auto base = base_url(request);
  if (iso) return response.send(200, "application/xml", encode::iso19139_document(*record, base));
  if (format == Format::Html) return response.send(200, kHtml, html_record(base, *record));
  // The strong ETag a replacement's If-Match is checked against (edit::ChangeService):
  // an editor's form sends it back, and learns of a change made meanwhile (412).
  const http::Headers etag{{"ETag", "\"" + edit::record_digest(catalog::to_json(*record)) + "\""}};
  response.send(200, kGeoJson, dump(record_json(*record, base)), etag);
}

void RecordsApi::queryables(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  if (negotiate(request) == Format::Html) throw core::NotAcceptable("queryables are offered as JSON Schema");
  response.send(200, "application/schema+json", dump(catalog_queryables_json(base_url(request))));
}

void RecordsApi::sortables(http::Request& request, http::Response& response) {
  reject_parameters(request, {"f"});
  if (negotiate(request) == Format::Html) throw core::NotAcceptable("sortables are offered as JSON Schema");
  response.send(200, "application/schema+json", dump(catalog_sortables_json(base_url(request))));
}

}  // namespace amis::api::records
