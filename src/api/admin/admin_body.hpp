#pragma once
// What every admin API handler shares: JSON answers and JSON request bodies of
// known members only.
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/request.hpp"
#include "http/response.hpp"

namespace amis::api::admin {

void send_json(http::Response& response, int status, const nlohmann::json& doc, const http::Headers& headers = {});

// The body: a JSON object of at most 64 KiB whose members are all `known`
// (application/json; application/merge-patch+json as well for a handler that
// applies it as a JSON Merge Patch, RFC 7396: `merge_patch`).
// @throws core::UnsupportedMediaType, core::InvalidValue, core::ParsingFailed.
nlohmann::json body_object(const http::Request& request, std::initializer_list<std::string_view> known,
                           bool merge_patch = false);

// A string member; empty when absent or null. @throws core::InvalidValue when
// `required` and absent, or not a string.
std::string text_member(const nlohmann::json& doc, const char* name, bool required);

}  // namespace amis::api::admin
