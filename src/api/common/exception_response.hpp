#pragma once
// OGC API exceptions (OGC API - Common / Features, "exception" schema): JSON
// bodies with `code` and `description`, and the HTTP status carried by the error.
#include <functional>

#include "core/error.hpp"
#include "http/router.hpp"

namespace amis::api {

// Wraps a handler so that an OgcError becomes an OGC API JSON exception.
// Server errors are logged; the client sees only that one occurred.
http::Handler with_ogcapi_errors(http::Handler handler);

// The headers an error answer carries besides its body: a 401 names the
// scheme to authenticate with (RFC 6750), a 429 or a busy server's 503 when to
// ask again (Retry-After), in every protocol.
http::Headers error_headers(const core::OgcError& error);

}  // namespace amis::api
