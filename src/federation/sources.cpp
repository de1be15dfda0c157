#include "federation/sources.hpp"

#include <functional>

#include "federation/capabilities_reader.hpp"
#include "federation/csw_source.hpp"
#include "federation/ogcapi_reader.hpp"

namespace amis::federation {
namespace {

constexpr std::int64_t kRecordsPageSize = 500;
constexpr int kMaxPages = 100000;

// OGC API - Records items, page after page by the `next` links (each on the node).
class RecordsSource final : public HarvestSource {
 public:
  RecordsSource(NodeClient& client, NodeUrl catalogue, const KnownPages& known)
      : client_(client), catalogue_(std::move(catalogue)), known_(known) {}

  std::optional<SourcePage> next_page() override {
    if (done_) return std::nullopt;
    if (!next_) next_ = items_url();
    const NodeUrl url = *next_;
    done_ = true;  // unless the page names a next one
    if (++pages_ > kMaxPages) return std::nullopt;
    auto answer = fetch_page(client_, url, "application/geo+json, application/json", known_);
    if (answer.unchanged) {
      go_on(url, answer.unchanged->next);
      return unchanged_page(*answer.unchanged);
    }
    auto page = read_records_page(answer.body);
    go_on(url, page.next);
    keep_validators(page.page, url, answer.validators, next_ ? next_->text() : std::string());
    return std::move(page.page);
  }
  bool resumable() const override { return false; }

 private:
  void go_on(const NodeUrl& url, const std::string& next) {
    next_.reset();
    if (next.empty()) return;
    next_ = resolve(url, next);
    done_ = false;
  }

  // The items of the catalogue the node's URL names: .../items as given,
  // .../collections/{id} with /items, or else the node's /collections/catalog.
  NodeUrl items_url() {
    const std::string path = catalogue_.path();
    const std::string query = "f=json&limit=" + std::to_string(kRecordsPageSize);
    if (path.ends_with("/items")) return with_path(catalogue_, "", query);
    if (path.find("/collections/") != std::string::npos) return with_path(catalogue_, "/items", query);
    return with_path(catalogue_, "/collections/catalog/items", query);
  }

  NodeClient& client_;
  NodeUrl catalogue_;
  const KnownPages& known_;
  std::optional<NodeUrl> next_;
  bool done_ = false;
  int pages_ = 0;
};

// A node listed in one document.
class OneDocumentSource final : public HarvestSource {
 public:
  explicit OneDocumentSource(std::function<SourcePage()> read) : read_(std::move(read)) {}
  std::optional<SourcePage> next_page() override {
    if (done_) return std::nullopt;
    done_ = true;
    return read_();
  }
  bool resumable() const override { return false; }

 private:
  std::function<SourcePage()> read_;
  bool done_ = false;
};

// The one document at `url`, read by `read` unless the node says it did not change.
SourcePage one_document(NodeClient& client, const NodeUrl& url, std::string_view accept, const KnownPages& known,
                        const std::function<SourcePage(const std::string&)>& read) {
  auto answer = fetch_page(client, url, accept, known);
  if (answer.unchanged) return unchanged_page(*answer.unchanged);
  SourcePage page = read(answer.body);
  keep_validators(page, url, answer.validators);
  return page;
}

SourcePage features_collections(NodeClient& client, const NodeUrl& base, const KnownPages& known) {
  NodeUrl collections = with_path(base, "/collections", "f=json");
  if (!base.path().ends_with("/collections")) {
    const std::string href = collections_href(client.get(with_path(base, "", "f=json"), "application/json"));
    if (!href.empty()) collections = resolve(base, href);
  } else {
    collections = with_path(base, "", "f=json");
  }
  const std::string endpoint = collections.origin() + collections.path();
  return one_document(client, collections, "application/json", known,
                      [&](const std::string& body) { return read_features_collections(body, endpoint); });
}

NodeUrl service_url(const NodeUrl& base, const char* service) {
  return with_path(base, "", std::string("service=") + service + "&request=GetCapabilities" +
                                  (std::string(service) == "WMS"    ? "&version=1.3.0"
                                   : std::string(service) == "WMTS" ? "&version=1.0.0"
                                                                    : "&version=2.0.0"));
}

}  // namespace

std::unique_ptr<HarvestSource> make_source(const Node& node, NodeClient& client, const catalog::IsoSchema& schema,
                                           const KnownPages& known) {
  const NodeUrl base = parse_node_url(node.url);
  const std::string endpoint = base.origin() + base.path();
  const auto capabilities = [&client, &known, base, endpoint](NodeUrl url, SourcePage (*read)(std::string_view, std::string_view)) {
    return std::make_unique<OneDocumentSource>([&client, &known, url = std::move(url), endpoint, read] {
      return one_document(client, url, "application/xml, text/xml", known,
                          [&](const std::string& body) { return read(body, endpoint); });
    });
  };
  switch (node.kind) {
    case NodeKind::Csw:
      return std::make_unique<CswSource>(client, base, schema);
    case NodeKind::Amis:
    case NodeKind::Records:
      return std::make_unique<RecordsSource>(client, base, known);
    case NodeKind::Oapif:
      return std::make_unique<OneDocumentSource>([&client, &known, base] { return features_collections(client, base, known); });
    case NodeKind::Wms:
      return capabilities(service_url(base, "WMS"), read_wms_capabilities);
    case NodeKind::Wfs:
      return capabilities(service_url(base, "WFS"), read_wfs_capabilities);
    case NodeKind::Wmts:
      // A RESTful WMTS names its capabilities document (…/WMTSCapabilities.xml): read as given.
      return capabilities(base.path().ends_with(".xml") ? base : service_url(base, "WMTS"), read_wmts_capabilities);
  }
  return nullptr;
}

}  // namespace amis::federation
