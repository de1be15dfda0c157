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
  RecordsSource(NodeClient& client, NodeUrl catalogue) : client_(client), catalogue_(std::move(catalogue)) {}

  std::optional<SourcePage> next_page() override {
    if (done_) return std::nullopt;
    if (!next_) next_ = items_url();
    const NodeUrl url = *next_;
    done_ = true;  // unless the page names a next one
    if (++pages_ > kMaxPages) return std::nullopt;
    auto page = read_records_page(client_.get(url, "application/geo+json, application/json"));
    if (!page.next.empty()) {
      next_ = resolve(url, page.next);
      done_ = false;
    }
    return std::move(page.page);
  }
  bool resumable() const override { return false; }

 private:
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

SourcePage features_collections(NodeClient& client, const NodeUrl& base) {
  NodeUrl collections = with_path(base, "/collections", "f=json");
  if (!base.path().ends_with("/collections")) {
    const std::string href = collections_href(client.get(with_path(base, "", "f=json"), "application/json"));
    if (!href.empty()) collections = resolve(base, href);
  } else {
    collections = with_path(base, "", "f=json");
  }
  return read_features_collections(client.get(collections, "application/json"),
                                   collections.origin() + collections.path());
}

NodeUrl service_url(const NodeUrl& base, const char* service) {
  return with_path(base, "", std::string("service=") + service + "&request=GetCapabilities" +
                                  (std::string(service) == "WMS"    ? "&version=1.3.0"
                                   : std::string(service) == "WMTS" ? "&version=1.0.0"
                                                                    : "&version=2.0.0"));
}

}  // namespace

std::unique_ptr<HarvestSource> make_source(const Node& node, NodeClient& client, const catalog::IsoSchema& schema) {
  const NodeUrl base = parse_node_url(node.url);
  switch (node.kind) {
    case NodeKind::Csw:
      return std::make_unique<CswSource>(client, base, schema);
    case NodeKind::Amis:
    case NodeKind::Records:
      return std::make_unique<RecordsSource>(client, base);
    case NodeKind::Oapif:
      return std::make_unique<OneDocumentSource>([&client, base] { return features_collections(client, base); });
    case NodeKind::Wms:
      return std::make_unique<OneDocumentSource>([&client, base] {
        const std::string endpoint = base.origin() + base.path();
        return read_wms_capabilities(client.get(service_url(base, "WMS"), "application/xml, text/xml"), endpoint);
      });
    case NodeKind::Wfs:
      return std::make_unique<OneDocumentSource>([&client, base] {
        const std::string endpoint = base.origin() + base.path();
        return read_wfs_capabilities(client.get(service_url(base, "WFS"), "application/xml, text/xml"), endpoint);
      });
    case NodeKind::Wmts:
      return std::make_unique<OneDocumentSource>([&client, base] {
        // A RESTful WMTS names its capabilities document (…/WMTSCapabilities.xml): read as given.
        const bool rest = base.path().ends_with(".xml");
        const std::string endpoint = base.origin() + base.path();
        return read_wmts_capabilities(client.get(rest ? base : service_url(base, "WMTS"), "application/xml, text/xml"),
                                      endpoint);
      });
  }
  return nullptr;
}

}  // namespace amis::federation
