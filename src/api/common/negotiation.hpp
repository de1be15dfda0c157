#pragma once
// Which representation a client asked for: `f=` first, then the Accept header.
#include <string_view>

#include "http/request.hpp"

namespace amis::api {

enum class Format { Json, Html };

// @throws NotAcceptable (406) when `f` names a format the resource does not offer,
// or Accept lists only media types it cannot produce.
Format negotiate(const http::Request& request);

const char* format_name(Format format);  // the `f` value: "json" or "html"

}  // namespace amis::api
