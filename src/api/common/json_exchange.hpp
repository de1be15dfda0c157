#pragma once
// The small JSON exchanges of the service APIs (work plans, country profiles):
// a JSON object body, only known query parameters, a JSON answer.
#include <initializer_list>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/request.hpp"
#include "http/response.hpp"

namespace amis::api {

// The request's body as a JSON object of at most 1 MiB. @throws
// core::UnsupportedMediaType (not application/json), core::InvalidValue (too
// large), core::ParsingFailed (not a JSON object).
nlohmann::json json_object_body(const http::Request& request);

// Only the named query parameters (and f) are accepted. @throws core::UnknownParameter.
void only_params(const http::Request& request, std::initializer_list<std::string_view> known);

void send_json(http::Response& response, int status, const nlohmann::json& doc, const http::Headers& headers = {});

}  // namespace amis::api
