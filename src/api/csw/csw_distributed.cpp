#include "api/csw/csw_distributed.hpp"

#include <charconv>

#include "api/csw/csw_results.hpp"
#include "core/error.hpp"

namespace amis::api::csw {
namespace {

class CollectingSink final : public store::RecordSink {
 public:
  void record(const catalog::Record& r) override { records.push_back(r); }
  std::vector<catalog::Record> records;
};

// A warning-value's quoted text: no quote or control character of the node's reason breaks it.
std::string warn_text(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, 300)) out += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '\'' : c;
  return out + "\"";
}

std::string warning(const std::vector<federation::NodeSearchResult>& nodes) {
  std::string out;
  for (const auto& n : nodes) {
    const auto& o = n.outcome;
    if (o.status == federation::NodeSearchStatus::Answered) continue;
    if (!out.empty()) out += ", ";
    out += "199 amis " + warn_text("distributed search: node '" + o.node + "' " + std::string(federation::to_string(o.status)) +
                                (o.reason.empty() ? "" : ": " + o.reason));
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> distributed_hop_count(const CswRequest& r) {
  if (!r.distributed_search) return std::nullopt;
  if (!r.hop_count) return 2;
  const std::string& text = *r.hop_count;
  std::int64_t v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < 0 || v > kMaxHopCount)
    throw core::InvalidParameter("hopCount", "an integer from 0 to " + std::to_string(kMaxHopCount) + " is expected");
  return v;
}

federation::ForwardedSearch forward_csw_search(const CswRequest& r, const RecordsQuery& q, std::int64_t hop_count,
                                               std::int64_t window) {
  federation::ForwardedSearch out;
  out.amis_over_csw = true;
  std::string type_names;
  for (const auto& t : r.type_names) type_names += (type_names.empty() ? "" : ",") + t;
  if (type_names.empty()) type_names = "csw:Record";
  std::string csw = "service=CSW&version=2.0.2&request=GetRecords&typeNames=" + http::percent_encode(type_names) +
                    "&namespace=" +
                    http::percent_encode("xmlns(csw=http://www.opengis.net/cat/csw/2.0.2),"
                                         "xmlns(gmd=http://www.isotc211.org/2005/gmd)") +
                    "&resultType=" + (q.hits_only ? "hits" : "results") + "&elementSetName=full&outputSchema=" +
                    http::percent_encode("http://www.isotc211.org/2005/gmd") +
                    "&startPosition=1&maxRecords=" + std::to_string(std::max<std::int64_t>(window, 1));
  if (!r.constraint.empty())
    csw += "&constraintLanguage=" + http::percent_encode(r.constraint_language) +
           "&constraint_language_version=1.1.0&constraint=" + http::percent_encode(r.constraint);
  if (!r.sort_by.empty()) {  // each node sends its first records by this order (the merge re-sorts)
    std::string sort_by;
    for (const auto& key : r.sort_by) sort_by += (sort_by.empty() ? "" : ",") + key.property + (key.descending ? ":D" : ":A");
    csw += "&sortBy=" + http::percent_encode(sort_by);
  }
  if (hop_count - 1 >= 1) csw += "&distributedSearch=true&hopCount=" + std::to_string(hop_count - 1);
  out.csw.query = csw;
  out.csw.passes_deadline = hop_count - 1 >= 1;  // an AMIS node at its /csw searches further
  if (r.constraint.empty()) {
    out.records.query = "f=json&limit=" + std::to_string(std::max<std::int64_t>(window, 1));
    std::string sortby;
    for (const auto& key : q.query.sortby) sortby += (sortby.empty() ? "" : ",") + std::string(key.descending ? "-" : "") + key.property;
    if (!sortby.empty()) *out.records.query += "&sortby=" + http::percent_encode(sortby);
  } else {
    out.records.refusal = "a CSW constraint is not forwarded to OGC API - Records nodes";
  }
  out.amis_records = out.records;
  return out;
}

void write_distributed_results(store::CatalogStore& catalog, federation::DistributedSearch& search,
                               const CswRequest& r, const RecordsQuery& q, std::int64_t hop_count,
                               const std::string& base_url, http::Response& response) {
  const std::int64_t first = q.start_position - 1;
  const std::int64_t window = q.hits_only ? 0 : first + q.max_records;
  if (window > kMaxDistributedWindow)
    throw core::InvalidParameter("maxRecords", "a distributed search pages within its first " +
                                                   std::to_string(kMaxDistributedWindow) +
                                                   " records (startPosition - 1 + maxRecords)");
  const auto deadline = federation::parse_search_deadline(
      r.deadline ? std::optional<std::string_view>(*r.deadline) : std::nullopt);
  auto pending = search.start(forward_csw_search(r, q, hop_count, window), deadline);
  catalog::CatalogQuery local_query = q.query;
  local_query.limit = window;
  local_query.offset = 0;
  local_query.count = true;
  CollectingSink local;
  const auto summary = catalog.search(local_query, local);
  auto nodes = pending->wait();
  std::int64_t matched = summary.matched.value_or(static_cast<std::int64_t>(local.records.size()));
  for (const auto& n : nodes) matched += n.outcome.matched.value_or(n.outcome.returned);
  auto merged = federation::merge_records(std::move(local.records), nodes, q.query.sortby);
  matched = std::max<std::int64_t>(matched - merged.duplicates, static_cast<std::int64_t>(merged.records.size()));
  std::vector<catalog::Record> page;
  for (std::int64_t i = first; i < window && i < static_cast<std::int64_t>(merged.records.size()); ++i)
    page.push_back(std::move(merged.records[static_cast<std::size_t>(i)]));
  http::Headers headers;
  if (auto w = warning(nodes); !w.empty()) headers.emplace_back("Warning", std::move(w));
  write_records_page(q, matched, page, base_url, response, headers);
}

}  // namespace amis::api::csw
