#pragma once
// How an OGC web service (WFS, CSW) receives a request: key-value pairs in the
// query string (GET) or in a form body (POST application/x-www-form-urlencoded),
// or an XML document (any other POST).
#include <utility>

#include "core/error.hpp"
#include "http/request.hpp"

namespace amis::api {

inline bool is_xml_post(const http::Request& request) {
  return request.method == "POST" &&
         request.header("content-type").find("application/x-www-form-urlencoded") == std::string_view::npos;
}

// The request read by `from_xml(body)` or, with a form POST's fields added to the
// query parameters, by `from_kvp(request)`.
// @throws core::InvalidParameter for a malformed form body, or what the readers throw.
template <class FromXml, class FromKvp>
auto read_ows_request(http::Request& request, FromXml from_xml, FromKvp from_kvp) {
  if (is_xml_post(request)) return from_xml(request.body);
  if (request.method == "POST") {
    auto form = http::parse_query(request.body);
    if (!form) throw core::InvalidParameter("request", "malformed form encoding");
    request.query.insert(request.query.end(), form->begin(), form->end());
  }
  return from_kvp(request);
}

}  // namespace amis::api
