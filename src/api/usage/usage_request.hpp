#pragma once
// The query parameters of the usage reports, parsed into a core::UsageQuery:
//   from, to      days (YYYY-MM-DD), or hours (YYYY-MM-DDTHH) for /usage/hourly
//   group         comma-separated dimensions: day|hour, collection, service,
//                 operation, format, status, client, country
//   collection, service, operation, country   equality filters
//   f             json (default) or csv
#include <string>

#include "core/usage.hpp"
#include "http/request.hpp"

namespace amis::api::usage {

struct UsageRequest {
  core::UsageQuery query;
  bool csv = false;
};

// @throws core::InvalidParameter for a malformed day or hour, an unknown
// dimension or format, or from after to.
UsageRequest parse_usage_request(const http::Request& request, bool hourly);

// The name of a dimension in reports ("day" or "hour" for the period).
std::string dimension_name(core::UsageDimension d, bool hourly);

// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& value);

// A day (YYYY-MM-DD) or nullopt: for /usage/visitors.
std::string parse_day(const http::Request& request, const char* name);

}  // namespace amis::api::usage
