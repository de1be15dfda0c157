#pragma once
// GetRecords and GetRecordById answers, written as the store's cursor yields the
// records: a page of up to kBufferedPage records is read before its header (one
// query gives its count); a larger page is counted first and then streamed in
// chunks, so memory stays flat whatever maxRecords allows.
#include "api/csw/csw_query.hpp"
#include "http/response.hpp"
#include "store/catalog_store.hpp"

namespace amis::api::csw {

inline constexpr std::int64_t kBufferedPage = 100;

// A sink that keeps nothing (a search asked only for its count or facets).
class CountingSink final : public store::RecordSink {
 public:
  void record(const catalog::Record&) override { ++count; }
  std::int64_t count = 0;
};

// csw:GetRecordsResponse: SearchStatus, then SearchResults with
// numberOfRecordsMatched, numberOfRecordsReturned and nextRecord (0 after the last).
// `base_url` resolves the records' relative links (ISO 19139 output).
void write_search_results(store::CatalogStore& catalog, const RecordsQuery& q, const std::string& base_url,
                          http::Response& response);

// csw:GetRecordsResponse for records already in hand (a distributed search's
// merged page), with `matched` as numberOfRecordsMatched and `headers` sent along.
void write_records_page(const RecordsQuery& q, std::int64_t matched, const std::vector<catalog::Record>& page,
                        const std::string& base_url, http::Response& response, const http::Headers& headers);

// csw:GetRecordByIdResponse with the records found, in the order of the ids asked.
void write_records_by_id(store::CatalogStore& catalog, const RecordsQuery& q, const std::string& base_url,
                         http::Response& response);

}  // namespace amis::api::csw
