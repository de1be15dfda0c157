#pragma once
// HTML pages of the catalogue for people, in the style of the Features pages: the
// catalogue with a search form, a page of records (streamed) with facets and
// paging, one record with its extent, thumbnail, links and ISO 19139 form.
#include <string>

#include "catalog/catalog_query.hpp"
#include "catalog/record.hpp"
#include "core/byte_sink.hpp"
#include "store/catalog_store.hpp"

namespace amis::api::records {

std::string html_catalog(const std::string& base, const std::string& title, const std::string& description,
                         std::int64_t records);
std::string html_record(const std::string& base, const catalog::Record& record);

// Streams the table of a search's records; finish() writes counts, facets and paging.
class HtmlRecordsPage final : public store::RecordSink {
 public:
  HtmlRecordsPage(core::ByteSink& out, std::string base, const catalog::CatalogQuery& query, std::string query_text);
  void record(const catalog::Record& record) override;
  // `next`/`prev`: the hrefs of the neighbouring pages, empty for none.
  void finish(const store::SearchSummary& summary, const std::string& prev, const std::string& next);

 private:
  void start();
  core::ByteSink& out_;
  std::string base_;
  const catalog::CatalogQuery& query_;
  std::string query_text_;
  bool started_ = false;
};

}  // namespace amis::api::records
