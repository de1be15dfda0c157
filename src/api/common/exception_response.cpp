#include "api/common/exception_response.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace amis::api {

http::Headers error_headers(const core::OgcError& error) {
  if (error.status() == 401) return {{"WWW-Authenticate", "Bearer realm=\"AMIS\""}};
  if (const auto* later = dynamic_cast<const core::RetryLater*>(&error))
    return {{"Retry-After", std::to_string(later->retry_after_seconds())}};
  return {};
}

http::Handler with_ogcapi_errors(http::Handler handler) {
  return [handler = std::move(handler)](http::Request& request, http::Response& response) {
    try {
      handler(request, response);
    } catch (const core::OgcError& e) {
      if (response.started()) throw;
      response.discard_unsent();
      std::string description = e.what();
      if (core::hidden_from_client(e)) {
        spdlog::error("{} {}: {}", request.method, request.path, e.what());
        description = "the server could not complete the request";
      }
      nlohmann::json body = {{"code", e.code()}, {"description", description}};
      // The element or parameter at fault, so that a form can show the message beside it.
      if (!e.locator().empty() && !core::hidden_from_client(e)) body["locator"] = e.locator();
      const http::Headers headers = error_headers(e);
      response.send(e.status(), "application/json",
                    body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), headers);
    }
  };
}

}  // namespace amis::api
