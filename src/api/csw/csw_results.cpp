#include "api/csw/csw_results.hpp"

#include <algorithm>
#include <map>

#include "api/csw/csw_documents.hpp"
#include "core/error.hpp"
#include "encode/geojson_writer.hpp"
#include "encode/iso19139_writer.hpp"

namespace amis::api::csw {
namespace {

constexpr const char* kXml = "application/xml";
constexpr std::size_t kFlushBytes = 64 * 1024;

const char* kResponseAttributes =
    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.opengis.net/cat/csw/2.0.2 "
    "http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd\"";

// (each gmd:MD_Metadata declares its own namespaces)
std::string root_start(const char* element) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
  out += element;
  out += ' ';
  out += kDublinCoreNamespaces;
  out += kResponseAttributes;
  if (std::string_view(element) == "csw:GetRecordsResponse") out += " version=\"2.0.2\"";  // only it has one
  out += '>';
  return out;
}

void append_record(std::string& out, const catalog::Record& record, const RecordsQuery& q, const std::string& base) {
  if (q.schema == OutputSchema::Iso19139) return encode::append_iso19139(out, iso_element_set(record, q.element_set), base);
  append_dublin_core(out, record, q.element_set);
}

// Encodes each record the cursor yields, handing the text to `out` in chunks.
class EncodingSink final : public store::RecordSink {
 public:
  EncodingSink(const RecordsQuery& q, const std::string& base, core::ByteSink* out) : q_(q), base_(base), out_(out) {}
  void record(const catalog::Record& record) override {
    append_record(text_, record, q_, base_);
    ++count_;
    if (out_ && text_.size() >= kFlushBytes) flush();
  }
  void flush() {
    if (out_ && !text_.empty()) out_->write(text_);
    text_.clear();
  }
  std::string& text() { return text_; }
  std::int64_t count() const { return count_; }

 private:
  const RecordsQuery& q_;
  const std::string& base_;
  core::ByteSink* out_;
  std::string text_;
  std::int64_t count_ = 0;
};

std::string search_results_start(const RecordsQuery& q, std::int64_t matched, std::int64_t returned) {
  const std::int64_t last = q.start_position + returned - 1;
  const std::int64_t next = returned > 0 && last < matched ? last + 1 : 0;
  std::string out = root_start("csw:GetRecordsResponse");
  out += "<csw:SearchStatus timestamp=\"" + encode::utc_timestamp() + "\"/>";
  out += "<csw:SearchResults numberOfRecordsMatched=\"" + std::to_string(matched) + "\" numberOfRecordsReturned=\"" +
         std::to_string(returned) + "\" nextRecord=\"" + std::to_string(next) + "\" recordSchema=\"" +
         schema_namespace(q.schema) + "\" elementSet=\"" +
         (q.element_set == ElementSet::Brief     ? "brief"
          : q.element_set == ElementSet::Summary ? "summary"
                                                 : "full") +
         "\">";
  return out;
}

constexpr const char* kSearchResultsEnd = "</csw:SearchResults></csw:GetRecordsResponse>\n";

}  // namespace

void write_search_results(store::CatalogStore& catalog, const RecordsQuery& q, const std::string& base_url,
                          http::Response& response) {
  if (q.hits_only || q.max_records <= kBufferedPage) {
    EncodingSink sink(q, base_url, nullptr);
    const auto summary = catalog.search(q.query, sink);
    const std::int64_t matched = summary.matched.value_or(sink.count());
    std::string body = search_results_start(q, matched, sink.count());
    body += sink.text();
    body += kSearchResultsEnd;
    return response.send(200, kXml, std::move(body));
  }
  // A large page: its count first, then the records straight from the cursor.
  catalog::CatalogQuery count_query = q.query;
  count_query.limit = 0;
  count_query.offset = 0;
  CountingSink none;
  const std::int64_t matched = catalog.search(count_query, none).matched.value_or(0);
  const std::int64_t returned = std::clamp<std::int64_t>(matched - (q.start_position - 1), 0, q.max_records);
  catalog::CatalogQuery page = q.query;
  page.count = false;
  auto& out = response.stream(200, kXml);
  out.write(search_results_start(q, matched, returned));
  EncodingSink sink(q, base_url, &out);
  catalog.search(page, sink);
  sink.flush();
  out.write(kSearchResultsEnd);
}

void write_records_page(const RecordsQuery& q, std::int64_t matched, const std::vector<catalog::Record>& page,
                        const std::string& base_url, http::Response& response, const http::Headers& headers) {
  const auto returned = q.hits_only ? 0 : static_cast<std::int64_t>(page.size());
  std::string body = search_results_start(q, matched, returned);
  if (!q.hits_only)
    for (const auto& record : page) append_record(body, record, q, base_url);
  body += kSearchResultsEnd;
  response.send(200, kXml, std::move(body), headers);
}

void write_records_by_id(store::CatalogStore& catalog, const RecordsQuery& q, const std::string& base_url,
                         http::Response& response) {
  // Each record encoded by its id, then written in the order the ids were asked.
  class ById final : public store::RecordSink {
   public:
    ById(const RecordsQuery& q, const std::string& base) : q_(q), base_(base) {}
    void record(const catalog::Record& record) override {
      std::string text;
      append_record(text, record, q_, base_);
      encoded[record.id] = std::move(text);
    }
    std::map<std::string, std::string> encoded;

   private:
    const RecordsQuery& q_;
    const std::string& base_;
  } sink(q, base_url);
  catalog.search(q.query, sink);
  std::string body = root_start("csw:GetRecordByIdResponse");
  for (const auto& id : q.query.ids)
    if (auto it = sink.encoded.find(id); it != sink.encoded.end()) {
      body += it->second;
      sink.encoded.erase(it);  // an id asked twice is answered once
    }
  body += "</csw:GetRecordByIdResponse>\n";
  response.send(200, kXml, std::move(body));
}

}  // namespace amis::api::csw
