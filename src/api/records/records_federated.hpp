#pragma once
// /collections/{catalogId}/items?federated=true[&hopCount=N] (issue 16): the
// search asked of the live national nodes too (federation::DistributedSearch),
// merged with the local records, de-duplicated, paged over the merged list, and
// answered as the same GeoJSON FeatureCollection with a `federation` member that
// names each node and how it took part (answered, cut-off, failed, skipped, why).
// hopCount (default 2) counts the catalogues a search may pass through: 0 or 1
// searches here only; an AMIS node is asked with hopCount - 1 and, when it is to
// search further, deadline=MS: the time this search has left. A search given a
// deadline ends by it (or by this node's own, if sooner).
#include <cstdint>

#include <nlohmann/json.hpp>

#include "catalog/catalog_query.hpp"
#include "federation/distributed_search.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "store/catalog_store.hpp"

namespace amis::api::records {

inline constexpr std::int64_t kDefaultHopCount = 2;
inline constexpr std::int64_t kMaxHopCount = 10;
// A distributed search pages within its first records (offset + limit): each node
// is asked for that many.
inline constexpr std::int64_t kMaxFederatedWindow = 1000;

// The hop count of a request with federated=true; nullopt for none (or federated=false).
// @throws core::InvalidParameter for another federated value than true/false or a
// hopCount out of 0..kMaxHopCount.
std::optional<std::int64_t> parse_federated(const http::Request& request);

// What each kind of node is asked: the request's own Records parameters for
// Records and AMIS nodes; an ogc:Filter of q and bbox for CSW nodes.
federation::ForwardedSearch forward_records_search(const http::Request& request, const catalog::CatalogQuery& query,
                                                   std::int64_t hop_count, std::int64_t window);

// Answers the distributed search in GeoJSON.
// @throws core::InvalidParameter for a page beyond kMaxFederatedWindow.
void federated_items(store::CatalogStore& catalog, federation::DistributedSearch& search, catalog::CatalogQuery query,
                     std::int64_t hop_count, const http::Request& request, const std::string& base,
                     http::Response& response);

// The `federation` member: the hop count, the deadline and each node's part.
nlohmann::json federation_json(std::int64_t hop_count, const federation::DistributedSearch& search,
                               const std::vector<federation::NodeSearchResult>& nodes);

}  // namespace amis::api::records
