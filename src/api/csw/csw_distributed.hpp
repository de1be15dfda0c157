#pragma once
// GetRecords with csw:DistributedSearch (KVP distributedSearch=true&hopCount=N),
// issue 16: the query asked of the live national nodes (federation::DistributedSearch)
// with hopCount - 1, merged with the local records and de-duplicated.
//
// Which nodes were cut off at the deadline or failed is told in the HTTP
// response's Warning header (RFC 9110 section 11.5 / RFC 7234 section 5.5, code 199
// "miscellaneous warning"), one warning-value per node, e.g.
//   Warning: 199 amis "distributed search: node 'slow' cut-off: the node did not answer ..."
// because CSW 2.0.2 has no place for it in the document: csw:SearchStatus carries
// only a timestamp (2.0.2 dropped 2.0.0's status="subset"), csw:SearchResults'
// attributes are fixed, and its content is either csw:AbstractRecord elements or
// elements of other namespaces, never both, so a status element beside Dublin Core
// records would break the schema; an ows:ExceptionReport would throw away the
// records that did arrive. The header leaves the response valid for every
// outputSchema and every client, and is what HTTP defines for a response that is
// complete as far as it goes.
#include <cstdint>
#include <optional>
#include <string>

#include "api/csw/csw_query.hpp"
#include "api/csw/csw_request.hpp"
#include "federation/distributed_search.hpp"
#include "http/response.hpp"
#include "store/catalog_store.hpp"

namespace amis::api::csw {

inline constexpr std::int64_t kMaxHopCount = 10;
inline constexpr std::int64_t kMaxDistributedWindow = 1000;  // startPosition - 1 + maxRecords

// The hop count of a GetRecords with DistributedSearch (default 2); nullopt without it.
// @throws core::InvalidParameter("hopCount") for another value than 0..kMaxHopCount.
std::optional<std::int64_t> distributed_hop_count(const CswRequest& r);

// What each kind of node is asked: the GetRecords itself (its constraint as sent)
// for CSW and AMIS nodes, in ISO 19139; a plain listing for Records nodes when
// there is no constraint (none else is forwarded to them).
federation::ForwardedSearch forward_csw_search(const CswRequest& r, const RecordsQuery& q, std::int64_t hop_count,
                                               std::int64_t window);

// @throws core::InvalidParameter for a page beyond kMaxDistributedWindow.
void write_distributed_results(store::CatalogStore& catalog, federation::DistributedSearch& search,
                               const CswRequest& r, const RecordsQuery& q, std::int64_t hop_count,
                               const std::string& base_url, http::Response& response);

}  // namespace amis::api::csw
