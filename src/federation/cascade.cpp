#include "federation/cascade.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/error.hpp"
#include "federation/cascade_request.hpp"
#include "federation/collection_json.hpp"
#include "federation/gml_page.hpp"

namespace amis::federation {
namespace {

// The node's failure as the protocol's error; the message names the node only.
[[noreturn]] void fail(const Node& node, const FetchFailed& e) {
  if (e.timed_out())
    throw core::GatewayTimeout("the national node '" + node.name + "' did not answer in time");
  if (e.status() == 400)
    throw core::InvalidParameter("filter", "the national node '" + node.name +
                                               "' that holds the collection refused the request (HTTP 400)");
  throw core::BadGateway("the national node '" + node.name + "' could not be read: " + e.what());
}

}  // namespace

Cascade::Cascade(store::NodeStore& nodes, HttpGetter& getter, CascadeOptions options)
    : nodes_(nodes), getter_(getter), options_(options), cache_(options.cache_bytes, options.cache_ttl) {}

void Cascade::reload() {
  auto next = std::make_shared<Snapshot>();
  std::map<std::string, std::optional<Node>, std::less<>> nodes;
  for (auto& p : nodes_.publications()) {
    auto& n = nodes[p.node];
    if (!n) n = nodes_.node(p.node);
    if (!n) continue;
    core::Collection c;
    try {
      c = collection_from_json(p.metadata);
    } catch (const core::OgcError& e) {
      spdlog::warn("cascade: publication '{}' skipped: {}", p.collection, e.what());
      continue;
    }
    c.id = p.collection;
    std::string id = p.collection;  // the key, before the publication is moved
    const bool gml = gml_pages(p.metadata);
    next->emplace(std::move(id), Published{std::move(p), std::move(c), *n, gml});
  }
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
  loaded_ = std::chrono::steady_clock::now();
}

std::shared_ptr<const Cascade::Snapshot> Cascade::snapshot() {
  {
    std::lock_guard lock(mutex_);
    if (snapshot_ && std::chrono::steady_clock::now() - loaded_ < options_.reload) return snapshot_;
  }
  try {
    reload();
  } catch (const core::OgcError& e) {  // the store busy: the last list serves on
    spdlog::warn("cascade: publications not reloaded: {}", e.what());
    std::lock_guard lock(mutex_);
    loaded_ = std::chrono::steady_clock::now();
    if (!snapshot_) snapshot_ = std::make_shared<Snapshot>();
  }
  std::lock_guard lock(mutex_);
  return snapshot_;
}

namespace {

// A cascaded collection whose features are read from the node (not a WMS layer, not a mirror).
bool read_through(const Node& node, const Publication& p) {
  return p.mode == PublishMode::Cascade && node.kind != NodeKind::Wms;
}

}  // namespace

std::optional<core::Collection> Cascade::collection(std::string_view id) {
  const auto s = snapshot();
  const auto it = s->find(id);
  if (it == s->end() || !read_through(it->second.node, it->second.publication)) return std::nullopt;
  auto c = it->second.collection;
  c.updated = cache_window_start();
  return c;
}

std::vector<core::Collection> Cascade::collections() {
  const auto s = snapshot();
  std::vector<core::Collection> out;
  const auto window = cache_window_start();
  for (const auto& [id, p] : *s)
    if (read_through(p.node, p.publication)) {
      out.push_back(p.collection);
      out.back().updated = window;
    }
  return out;
}

std::string Cascade::cache_window_start() const {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const auto ttl = options_.cache_ttl.count();
  const std::int64_t start = ttl > 0 ? now - now % ttl : now;
  const std::time_t seconds = static_cast<std::time_t>(start / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(start % 1000));
  return text;
}

std::optional<Cascade::Source> Cascade::image_layer(std::string_view id) {
  const auto s = snapshot();
  const auto it = s->find(id);
  if (it == s->end() || it->second.node.kind != NodeKind::Wms) return std::nullopt;
  const auto& p = it->second;
  return Source{p.collection, p.node, p.publication.source_id, p.publication.created};
}

std::vector<Cascade::Source> Cascade::image_layers() {
  const auto s = snapshot();
  std::vector<Source> out;
  for (const auto& [id, p] : *s)
    if (p.node.kind == NodeKind::Wms) out.push_back({p.collection, p.node, p.publication.source_id, p.publication.created});
  return out;
}

std::vector<Cascade::Source> Cascade::cascaded_sources() {
  const auto s = snapshot();
  std::vector<Source> out;
  for (const auto& [id, p] : *s)
    if (p.publication.mode == PublishMode::Cascade)
      out.push_back({p.collection, p.node, p.publication.source_id, p.publication.created});
  return out;
}

std::string Cascade::published_from(std::string_view id) {
  const auto s = snapshot();
  const auto it = s->find(id);
  return it == s->end() ? std::string() : it->second.node.name;
}

const Cascade::Published& Cascade::cascaded(const Snapshot& s, std::string_view id) const {
  const auto it = s.find(id);
  if (it == s.end() || !read_through(it->second.node, it->second.publication))
    throw core::NotFound("collection '" + std::string(id.substr(0, 64)) + "' is no longer published");
  return it->second;
}

std::shared_ptr<const RemotePage> Cascade::page(const Published& p, const NodeUrl& url, std::int64_t first_position,
                                                bool missing_is_null) {
  const std::string key = p.publication.collection + "\n" + url.text();
  if (auto hit = cache_.find(key)) return hit;
  NodeClient client(p.node, getter_, options_.limits);
  std::string body;
  try {
    body = client.get(url, p.gml ? "application/gml+xml, text/xml" : "application/geo+json, application/json");
  } catch (const FetchFailed& e) {
    if (missing_is_null && e.status() == 404) return nullptr;
    spdlog::warn("cascade: collection '{}' from node '{}': {}", p.publication.collection, p.node.name, e.what());
    fail(p.node, e);
  }
  std::shared_ptr<const RemotePage> read;
  try {
    read = std::make_shared<const RemotePage>(p.gml ? read_gml_page(body, p.collection, first_position)
                                                    : read_remote_page(body, p.collection, first_position));
  } catch (const core::OgcError& e) {
    spdlog::warn("cascade: collection '{}' from node '{}': {}", p.publication.collection, p.node.name, e.what());
    throw core::BadGateway("the national node '" + p.node.name + "' sent what cannot be read: " + e.what());
  }
  cache_.put(key, read);
  return read;
}

std::int64_t Cascade::push(const Published& p, const RemotePage& page, const core::FeatureQuery& q,
                           core::FeatureSink& sink) {
  std::vector<std::size_t> indexes;
  const auto& props = p.collection.properties;
  for (std::size_t i = 0; i < props.size(); ++i)
    if (!q.properties || std::find(q.properties->begin(), q.properties->end(), props[i].name) != q.properties->end())
      indexes.push_back(i);
  std::vector<core::Value> values;
  std::int64_t pushed = 0;
  for (const auto& f : page.features) {
    f.view(indexes, values);
    sink.feature({f.id, f.wkb, values});
    ++pushed;
  }
  return pushed;
}

std::int64_t Cascade::features(const core::Collection& c, const core::FeatureQuery& q, core::FeatureSink& sink,
                               std::int64_t* matched) {
  const auto s = snapshot();
  const auto& p = cascaded(*s, c.id);
  if (q.ids) {  // FES ResourceId: the features one by one
    if (q.ids->size() > 100) throw core::InvalidParameter("resourceId", "at most 100 ids for a cascaded collection");
    std::int64_t n = 0;
    for (const auto id : *q.ids) {
      const auto one = page(p, feature_url(p.node, p.publication.source_id, id, p.gml), 1, true);
      if (one) n += push(p, *one, q, sink);
    }
    if (matched) *matched = n;
    return n;
  }
  const std::int64_t wanted = std::clamp<std::int64_t>(q.limit, 0, options_.max_features);
  std::int64_t position = q.offset;
  std::int64_t pushed = 0;
  std::optional<std::int64_t> total;
  bool short_page = false;
  do {
    const std::int64_t n = std::min(options_.page_size, wanted - pushed);
    const auto read = page(p, page_url(p.node, p.publication.source_id, q, std::max<std::int64_t>(n, 1), position, p.gml),
                           position + 1);
    if (!total) total = read->number_matched;
    const std::int64_t got = n > 0 ? push(p, *read, q, sink) : 0;
    pushed += got;
    position += got;
    short_page = got < n || read->features.empty();
  } while (pushed < wanted && !short_page);
  if (matched) *matched = total.value_or(short_page ? position : position + 1);
  return pushed;
}

std::int64_t Cascade::count(const core::Collection& c, const core::FeatureQuery& q) {
  const auto s = snapshot();
  const auto& p = cascaded(*s, c.id);
  const auto first = page(p, page_url(p.node, p.publication.source_id, core::unpaged(q), 1, 0, p.gml), 1);
  if (first->number_matched) return *first->number_matched;
  // No numberMatched: counted page by page, up to the bound of a request.
  class Counter final : public core::FeatureSink {
   public:
    void begin(const core::Collection&) override {}
    void feature(const core::FeatureView&) override {}
    void end() override {}
  } counter;
  auto all = core::unpaged(q);
  all.limit = options_.max_features;
  return features(c, all, counter, nullptr);
}

bool Cascade::feature(const core::Collection& c, std::int64_t id, core::FeatureSink& sink) {
  const auto s = snapshot();
  const auto& p = cascaded(*s, c.id);
  const auto one = page(p, feature_url(p.node, p.publication.source_id, id, p.gml), 1, true);
  if (!one || one->features.empty()) return false;
  core::FeatureQuery all;
  return push(p, *one, all, sink) > 0;
}

}  // namespace amis::federation
