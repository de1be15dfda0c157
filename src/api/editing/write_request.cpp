#include "api/editing/write_request.hpp"

#include <charconv>
#include <string>

#include "core/error.hpp"

namespace amis::api::editing {

std::optional<std::int64_t> target_change_set(const http::Request& request) {
  for (const auto& [name, value] : request.query)
    if (name != "changeset") throw core::UnknownParameter(name);
  auto text = request.param("changeset");
  if (!text) return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc{} || end != text->data() + text->size() || id < 0)
    throw core::InvalidParameter("changeset", "must be the id of one of your draft change sets");
  return id;
}

std::string_view require_body_type(const http::Request& request,
                                   std::initializer_list<std::string_view> types) {
  std::string_view type = request.header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  for (auto t : types)
    if (type == t) return t;
  std::string list;
  for (auto t : types) list += (list.empty() ? "" : ", ") + std::string(t);
  throw core::UnsupportedMediaType("the body must be one of: " + list);
}

}  // namespace amis::api::editing
