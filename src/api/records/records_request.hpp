#pragma once
// The query parameters of /collections/{catalogId}/items (OGC API - Records -
// Part 1: record core query parameters, sorting, filtering), parsed into a typed
// catalog::CatalogQuery.
#include <cstdint>

#include "catalog/catalog_query.hpp"
#include "http/request.hpp"

namespace amis::api::records {

inline constexpr std::int64_t kDefaultLimit = 10;
// A page streams, so memory does not bound it; this only refuses nonsense.
inline constexpr std::int64_t kMaxLimit = 1'000'000;
// ids, externalIds, type, q: at most this many values each.
inline constexpr std::size_t kMaxListValues = 1000;

// @throws core::InvalidParameter for a malformed value (bbox, datetime, limit,
// offset, sortby, filter, facets), core::UnknownParameter for another parameter.
catalog::CatalogQuery parse_records_request(const http::Request& request);

// The comma-separated values of a list parameter, trimmed, without empty ones.
// @throws core::InvalidParameter for more than kMaxListValues.
std::vector<std::string> parse_list(std::string_view parameter, std::string_view text);

}  // namespace amis::api::records
