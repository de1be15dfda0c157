#pragma once
// Server-rendered HTML for every resource (the `html` conformance class). The
// items page streams its table and draws the features with Leaflet, served from
// /static, never from a CDN.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_sink.hpp"
#include "core/feature_query.hpp"
#include "core/feature_sink.hpp"

namespace amis::api::features {

std::string html_escape(std::string_view text);
// A JSON value as escaped text: a string as it is, null as nothing, others as JSON.
std::string html_text(const nlohmann::json& value);

// A <link> of a page's head: the page's other encodings (alternate), its
// metadata (describedby), ... so that clients and crawlers discover them.
struct HeadLink {
  std::string rel;
  std::string type;
  std::string href;
  std::string title;
};

// The pieces every page shares (other APIs' pages too): head with the site's
// header and navigation (Leaflet's script and CSS when `map`, the `links`),
// foot, and the link to the JSON form.
std::string page_head(const std::string& base, const std::string& title, bool map = false,
                      const std::vector<HeadLink>& links = {});
std::string page_foot();
std::string json_link(const std::string& href);

std::string html_landing_page(const std::string& base, const std::string& title,
                              const std::string& description);
std::string html_conformance(const std::string& base, const std::vector<std::string>& classes);
std::string html_api_page(const std::string& base, const nlohmann::json& openapi);
std::string html_collections(const std::string& base, const std::vector<core::Collection>& list);
std::string html_collection(const std::string& base, const core::Collection& collection);
std::string html_queryables(const std::string& base, const core::Collection& collection,
                            const nlohmann::json& schema);

// Streams the items page: a map that loads `json_query` (the same query as
// GeoJSON) and a table with one row per feature.
class HtmlItemsPage final : public core::FeatureSink {
 public:
  HtmlItemsPage(core::ByteSink& out, std::string base, const core::Collection& collection,
                const core::FeatureQuery& query, std::int64_t matched, std::string json_query);
  void begin(const core::Collection& collection) override;
  void feature(const core::FeatureView& feature) override;
  void end() override;

 private:
  core::ByteSink& out_;
  std::string base_;
  const core::Collection& collection_;
  core::FeatureQuery query_;
  std::int64_t matched_;
  std::string json_query_;
  std::string buffer_;
  std::int64_t returned_ = 0;
  std::optional<std::int64_t> last_id_;  // where the next page starts
};

class HtmlFeaturePage final : public core::FeatureSink {
 public:
  HtmlFeaturePage(std::string& out, std::string base, const core::Collection& collection)
      : out_(out), base_(std::move(base)), collection_(collection) {}
  void begin(const core::Collection&) override {}
  void feature(const core::FeatureView& feature) override;
  void end() override {}

 private:
  std::string& out_;
  std::string base_;
  const core::Collection& collection_;
};

}  // namespace amis::api::features
