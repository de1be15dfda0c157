#include "needs/need_input.hpp"

#include <initializer_list>
#include <string_view>

#include "core/error.hpp"

namespace amis::needs {
namespace {

using nlohmann::json;

void only_members(const json& body, std::initializer_list<std::string_view> known) {
  if (!body.is_object()) throw core::ParsingFailed("body", "the body must be a JSON object");
  for (const auto& [name, value] : body.items()) {
    bool ok = false;
    for (auto k : known) ok = ok || name == k;
    if (!ok) throw core::InvalidValue(name.substr(0, 40), "unknown member '" + name.substr(0, 40) + "'");
  }
}

// A string member (nullopt when absent or null) of at most `max` bytes (UTF-8: the
// JSON parser refuses anything else).
std::optional<std::string> text(const json& body, const char* name, std::size_t max) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw core::InvalidValue(name, std::string("'") + name + "' must be a string");
  const auto& value = it->get_ref<const std::string&>();
  if (value.size() > max)
    throw core::InvalidValue(name, std::string("'") + name + "' is longer than " + std::to_string(max) + " bytes");
  return value;
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<std::int64_t> feature_id(const json& body) {
  auto it = body.find("featureId");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0) return it->get<std::int64_t>();
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (!s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos) return std::stoll(s);
  }
  throw core::InvalidValue("featureId", "'featureId' must be a feature id (a non-negative integer)");
}

}  // namespace

NeedSubmission read_submission(const json& body) {
  only_members(body, {"kind", "title", "description", "collection", "featureId", "country"});
  NeedSubmission s;
  const auto kind = text(body, "kind", kMaxName);
  if (!kind) throw core::InvalidValue("kind", "'kind' is required: dataset, service or data-problem");
  const auto parsed = core::parse_need_kind(*kind);
  if (!parsed) throw core::InvalidValue("kind", "'kind' must be dataset, service or data-problem");
  s.kind = *parsed;
  s.title = trimmed(text(body, "title", kMaxTitle).value_or(""));
  if (s.title.size() < 3) throw core::InvalidValue("title", "'title' is required (3 to 200 bytes)");
  s.description = trimmed(text(body, "description", kMaxText).value_or(""));
  s.collection = text(body, "collection", kMaxName).value_or("");
  s.feature = feature_id(body);
  s.country = text(body, "country", kMaxName).value_or("");
  if (s.feature && s.collection.empty())
    throw core::InvalidValue("featureId", "'featureId' needs the 'collection' it is a feature of");
  if (s.kind == core::NeedKind::DataProblem && !s.feature)
    throw core::InvalidValue("featureId", "a data problem names the feature it is in: 'collection' and 'featureId'");
  return s;
}

core::NeedTriage read_triage(const json& body) {
  only_members(body, {"status", "priority", "assignee", "resolution"});
  core::NeedTriage t;
  if (auto status = text(body, "status", kMaxName)) {
    t.status = core::parse_need_status(*status);
    if (!t.status)
      throw core::InvalidValue("status", "'status' must be new, triaged, planned, in-progress, done, declined or "
                                         "duplicate");
  }
  if (auto priority = text(body, "priority", kMaxName)) {
    t.priority = core::parse_need_priority(*priority);
    if (!t.priority) throw core::InvalidValue("priority", "'priority' must be low, normal, high or urgent");
  }
  t.assignee = text(body, "assignee", kMaxName);
  if (auto resolution = text(body, "resolution", kMaxText)) t.resolution = trimmed(*resolution);
  if (!t.status && !t.priority && !t.assignee && !t.resolution)
    throw core::InvalidValue("body", "a triage sets at least one of status, priority, assignee, resolution");
  return t;
}

std::string read_comment(const json& body) {
  only_members(body, {"text"});
  auto comment = trimmed(text(body, "text", kMaxText).value_or(""));
  if (comment.empty()) throw core::InvalidValue("text", "'text' is required (1 to 10000 bytes)");
  return comment;
}

}  // namespace amis::needs
