#pragma once
// Sends an encoded coverage (OGC API - Coverages, WCS 2.0.1 and 1.0.0): a small one
// whole (with its length and ETag), a large one streamed in chunks straight from
// the encoder's buffer, never copied, or as its writer makes it (a native GeoTIFF
// window); the answer's memory reservation is given back when the caller drops
// `encoded`, after the last byte went out.
#include <string_view>

#include "coverage/coverage_output.hpp"
#include "http/response.hpp"

namespace amis::api {

void send_coverage(http::Response& response, const coverage::EncodedCoverage& encoded,
                   std::string_view content_type, const http::Headers& headers);

}  // namespace amis::api
