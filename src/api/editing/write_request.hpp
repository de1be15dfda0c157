#pragma once
// What every write request of the editing APIs (features, catalogue records)
// says the same way: the draft change set it joins and the media type of its body.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "http/request.hpp"

namespace amis::api::editing {

// The draft change set a write goes into (`changeset=ID`), if any; any other
// query parameter is refused. @throws core::UnknownParameter, core::InvalidParameter.
std::optional<std::int64_t> target_change_set(const http::Request& request);

// The body's media type (without parameters) when it is one of `types`.
// @throws core::UnsupportedMediaType naming them.
std::string_view require_body_type(const http::Request& request,
                                   std::initializer_list<std::string_view> types);

}  // namespace amis::api::editing
