#include "workplan/plan_yaml.hpp"

#include <yaml.h>

#include <charconv>
#include <memory>
#include <regex>
#include <set>

#include "core/error.hpp"

namespace amis::workplan {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBytes = 4u << 20;
constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxNodes = 200000;

json plain_scalar(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  std::int64_t i = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (ec == std::errc() && p == text.data() + text.size()) return i;
  static const std::regex real(R"([-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?)");
  if (text.size() < 64 && std::regex_match(text.begin(), text.end(), real)) {
    try {
      return std::stod(std::string(text));
    } catch (const std::exception&) {
      return std::string(text);
    }
  }
  return std::string(text);
}

struct Converter {
  yaml_document_t* document;
  std::size_t nodes = 0;

  json convert(yaml_node_t* node, int depth) {
    if (!node) throw core::ParsingFailed("yaml", "a YAML node is missing");
    if (depth > kMaxDepth) throw core::ParsingFailed("yaml", "the YAML document is nested too deeply");
    if (++nodes > kMaxNodes) throw core::ParsingFailed("yaml", "the YAML document has too many nodes");
    switch (node->type) {
      case YAML_SCALAR_NODE: {
        std::string_view text(reinterpret_cast<const char*>(node->data.scalar.value), node->data.scalar.length);
        if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) return plain_scalar(text);
        return std::string(text);
      }
      case YAML_SEQUENCE_NODE: {
        json out = json::array();
        for (auto* item = node->data.sequence.items.start; item < node->data.sequence.items.top; ++item)
          out.push_back(convert(yaml_document_get_node(document, *item), depth + 1));
        return out;
      }
      case YAML_MAPPING_NODE: {
        json out = json::object();
        for (auto* pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; ++pair) {
          const json key = convert(yaml_document_get_node(document, pair->key), depth + 1);
          std::string name = key.is_string() ? key.get<std::string>() : key.dump();
          out[name] = convert(yaml_document_get_node(document, pair->value), depth + 1);
        }
        return out;
      }
      case YAML_NO_NODE: break;
    }
    return nullptr;
  }
};

// Field readers: a missing or mistyped field names where it was.
std::string text_of(const json& object, const char* name, const std::string& where, bool required) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) throw core::InvalidValue(name, where + ": '" + name + "' is missing");
    return {};
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  throw core::InvalidValue(name, where + ": '" + name + "' must be text");
}

int year_of(const json& object, const char* name, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer())
    throw core::InvalidValue(name, where + ": '" + name + "' must be a year");
  const auto year = it->get<std::int64_t>();
  if (year < 1900 || year > 2200) throw core::InvalidValue(name, where + ": '" + name + "' must be a year");
  return static_cast<int>(year);
}

const json& member(const json& object, const char* name, json::value_t type, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end() || it->type() != type)
    throw core::InvalidValue(name, where + ": '" + name + "' is missing or of the wrong kind");
  return *it;
}

std::vector<ExpectedOutput> outputs_of(const json& activity, const std::string& where) {
  auto it = activity.find("expected_output");
  if (it == activity.end()) throw core::InvalidValue("expected_output", where + ": 'expected_output' is missing");
  std::vector<ExpectedOutput> out;
  if (it->is_string()) {
    out.push_back({it->get<std::string>()});
  } else if (it->is_array() && !it->empty()) {
    for (const auto& o : *it) {
      if (!o.is_string()) throw core::InvalidValue("expected_output", where + ": an expected output must be text");
      out.push_back({o.get<std::string>()});
    }
  } else {
    throw core::InvalidValue("expected_output", where + ": 'expected_output' must be text or a list of texts");
  }
  return out;
}

Activity activity_of(const json& a, const std::set<std::string>& areas) {
  if (!a.is_object()) throw core::InvalidValue("activities", "an activity must be a mapping");
  Activity activity;
  activity.id = text_of(a, "id", "an activity", true);
  const std::string where = "activity " + activity.id.substr(0, 16);
  if (!valid_plan_id(activity.id)) throw core::InvalidValue("id", where + ": not a valid activity id");
  activity.area = text_of(a, "area", where, true);
  if (!areas.contains(activity.area))
    throw core::InvalidValue("area", where + ": programme area '" + activity.area.substr(0, 16) + "' is not listed");
  activity.text = text_of(a, "activity", where, true);
  activity.partner_named = text_of(a, "partner_named", where, false);
  activity.outputs = outputs_of(a, where);
  return activity;
}

}  // namespace

json yaml_to_json(std::string_view text) {
  if (text.size() > kMaxBytes) throw core::ParsingFailed("yaml", "the YAML document is larger than 4 MiB");
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) throw core::ServerError("cannot start the YAML parser");
  std::unique_ptr<yaml_parser_t, decltype(&yaml_parser_delete)> parser_guard(&parser, yaml_parser_delete);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_document_t document;
  if (!yaml_parser_load(&parser, &document)) {
    std::string why = parser.problem ? parser.problem : "not YAML";
    throw core::ParsingFailed("yaml", "not a YAML document: " + why + " (line " +
                                          std::to_string(parser.problem_mark.line + 1) + ")");
  }
  std::unique_ptr<yaml_document_t, decltype(&yaml_document_delete)> document_guard(&document, yaml_document_delete);
  yaml_node_t* root = yaml_document_get_root_node(&document);
  if (!root) throw core::ParsingFailed("yaml", "the YAML document is empty");
  Converter converter{&document};
  return converter.convert(root, 0);
}

WorkPlan parse_work_plan(std::string_view yaml, const std::string& source) {
  const json doc = yaml_to_json(yaml);
  if (!doc.is_object()) throw core::InvalidValue("yaml", "a work plan is a mapping");
  const json& head = member(doc, "work_plan", json::value_t::object, "the document");
  WorkPlan plan;
  plan.source = source;
  plan.id = text_of(head, "id", "work_plan", true);
  if (!valid_plan_id(plan.id)) throw core::InvalidValue("id", "work_plan: the id must be 1 to 64 letters, digits, . _ + -");
  plan.title = text_of(head, "title", "work_plan", true);
  const json& period = member(head, "period", json::value_t::object, "work_plan");
  plan.period_start = year_of(period, "start", "work_plan.period");
  plan.period_end = year_of(period, "end", "work_plan.period");
  if (plan.period_end < plan.period_start) throw core::InvalidValue("period", "work_plan: the period ends before it starts");
  std::set<std::string> codes;
  std::map<std::string, std::string> listed;  // activity id -> area code, as the areas list them
  for (const auto& a : member(head, "programme_areas", json::value_t::array, "work_plan")) {
    if (!a.is_object()) throw core::InvalidValue("programme_areas", "a programme area must be a mapping");
    ProgrammeArea area{text_of(a, "no", "a programme area", true), text_of(a, "code", "a programme area", true),
                       text_of(a, "title", "a programme area", true)};
    if (!codes.insert(area.code).second)
      throw core::InvalidValue("programme_areas", "programme area " + area.code.substr(0, 16) + " is listed twice");
    if (auto it = a.find("activities"); it != a.end() && it->is_array())
      for (const auto& id : *it)
        if (id.is_string()) listed[id.get<std::string>()] = area.code;
    plan.areas.push_back(std::move(area));
  }
  if (plan.areas.empty()) throw core::InvalidValue("programme_areas", "work_plan: no programme areas");
  std::set<std::string> ids;
  for (const auto& a : member(doc, "activities", json::value_t::array, "the document")) {
    auto activity = activity_of(a, codes);
    if (!ids.insert(activity.id).second)
      throw core::InvalidValue("activities", "activity " + activity.id + " is listed twice");
    if (auto it = listed.find(activity.id); it != listed.end() && it->second != activity.area)
      throw core::InvalidValue("activities", "activity " + activity.id + " is in area " + activity.area +
                                                 " but its programme area list says " + it->second);
    plan.activities.push_back(std::move(activity));
  }
  if (plan.activities.empty()) throw core::InvalidValue("activities", "the work plan has no activities");
  return plan;
}

}  // namespace amis::workplan
