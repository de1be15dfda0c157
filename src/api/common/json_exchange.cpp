#include "api/common/json_exchange.hpp"

#include "core/error.hpp"

namespace amis::api {

using nlohmann::json;

json json_object_body(const http::Request& request) {
  std::string_view type = request.header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type != "application/json") throw core::UnsupportedMediaType("the body must be application/json");
  if (request.body.size() > (1u << 20)) throw core::InvalidValue("body", "the body is larger than 1 MiB");
  auto doc = json::parse(request.body, nullptr, false);
  if (!doc.is_object()) throw core::ParsingFailed("body", "the body must be a JSON object");
  return doc;
}

void only_params(const http::Request& request, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.query) {
    bool ok = name == "f";
    for (auto k : known) ok = ok || name == k;
    if (!ok) throw core::UnknownParameter(name.substr(0, 40));
  }
}

void send_json(http::Response& response, int status, const json& doc, const http::Headers& headers) {
  response.send(status, "application/json", doc.dump(-1, ' ', false, json::error_handler_t::replace), headers);
}

}  // namespace amis::api
