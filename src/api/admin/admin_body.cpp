#include "api/admin/admin_body.hpp"

#include "core/error.hpp"

namespace amis::api::admin {

using nlohmann::json;

void send_json(http::Response& response, int status, const json& doc, const http::Headers& headers) {
  response.send(status, "application/json", doc.dump(-1, ' ', false, json::error_handler_t::replace), headers);
}

json body_object(const http::Request& request, std::initializer_list<std::string_view> known, bool merge_patch) {
  std::string_view type = request.header("content-type");
  type = type.substr(0, type.find(';'));
  if (type != "application/json" && !(merge_patch && type == "application/merge-patch+json"))
    throw core::UnsupportedMediaType(merge_patch ? "the body must be application/json or application/merge-patch+json"
                                                 : "the body must be application/json");
  if (request.body.size() > 65536) throw core::InvalidValue("body", "the body is larger than 64 KiB");
  auto doc = json::parse(request.body, nullptr, false);
  if (!doc.is_object()) throw core::ParsingFailed("body", "the body must be a JSON object");
  for (const auto& [name, value] : doc.items()) {
    bool ok = false;
    for (auto k : known) ok = ok || name == k;
    if (!ok) throw core::InvalidValue(name, "unknown member '" + name.substr(0, 40) + "'");
  }
  return doc;
}

std::string text_member(const json& doc, const char* name, bool required) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) {
    if (required) throw core::InvalidValue(name, std::string("'") + name + "' is required");
    return {};
  }
  if (!it->is_string()) throw core::InvalidValue(name, std::string("'") + name + "' must be a string");
  return it->get<std::string>();
}

}  // namespace amis::api::admin
