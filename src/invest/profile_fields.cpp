#include "invest/profile_fields.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/error.hpp"

namespace amis::invest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFields = 500;
constexpr std::size_t kMaxLabel = 200;

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 64 || !(key[0] >= 'a' && key[0] <= 'z')) return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string text_of(const json& doc, const char* name, const std::string& where) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string() || it->get_ref<const std::string&>().empty() ||
      it->get_ref<const std::string&>().size() > kMaxLabel)
    throw core::InvalidValue(where, where + " needs '" + name + "': a text of 1 to 200 characters");
  return it->get<std::string>();
}

FieldType type_of(const std::string& text, const std::string& where) {
  for (auto t : {FieldType::Text, FieldType::Year, FieldType::Date, FieldType::Percent, FieldType::Url})
    if (text == to_string(t)) return t;
  throw core::InvalidValue(where, where + ": type is one of text, year, date, percent, url");
}

}  // namespace

const char* to_string(FieldType type) {
  switch (type) {
    case FieldType::Text: return "text";
    case FieldType::Year: return "year";
    case FieldType::Date: return "date";
    case FieldType::Percent: return "percent";
    case FieldType::Url: return "url";
  }
  return "text";
}

std::vector<const ProfileField*> FieldList::fields() const {
  std::vector<const ProfileField*> out;
  for (const auto& g : groups_)
    for (const auto& f : g.fields) out.push_back(&f);
  return out;
}

const ProfileField* FieldList::field(std::string_view key) const {
  for (const auto& g : groups_)
    for (const auto& f : g.fields)
      if (f.key == key) return &f;
  return nullptr;
}

std::size_t FieldList::size() const {
  std::size_t n = 0;
  for (const auto& g : groups_) n += g.fields.size();
  return n;
}

FieldList parse_field_list(std::string_view text) {
  const auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw core::ParsingFailed("fields", "the field list is not a JSON object");
  auto groups = doc.find("groups");
  if (groups == doc.end() || !groups->is_array() || groups->empty())
    throw core::InvalidValue("groups", "the field list needs 'groups': a non-empty array");
  std::vector<FieldGroup> out;
  std::set<std::string> keys;
  std::size_t count = 0;
  for (const auto& g : *groups) {
    if (!g.is_object()) throw core::InvalidValue("groups", "a group is an object");
    FieldGroup group{text_of(g, "key", "group"), text_of(g, "label", "group"), {}};
    if (!valid_key(group.key) || !keys.insert("group:" + group.key).second)
      throw core::InvalidValue("groups", "group key '" + group.key.substr(0, 64) + "' is not a new lowercase identifier");
    auto fields = g.find("fields");
    if (fields == g.end() || !fields->is_array() || fields->empty())
      throw core::InvalidValue(group.key, "group " + group.key + " needs 'fields': a non-empty array");
    for (const auto& f : *fields) {
      if (!f.is_object()) throw core::InvalidValue(group.key, "a field is an object");
      ProfileField field{text_of(f, "key", "field"), text_of(f, "label", "field"),
                         type_of(text_of(f, "type", "field"), "field"), group.key};
      if (!valid_key(field.key) || !keys.insert(field.key).second)
        throw core::InvalidValue(group.key, "field key '" + field.key.substr(0, 64) + "' is not a new lowercase identifier");
      if (++count > kMaxFields) throw core::InvalidValue("fields", "more than 500 fields");
      group.fields.push_back(std::move(field));
    }
    out.push_back(std::move(group));
  }
  return FieldList(std::move(out));
}

FieldList load_field_list(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read the profile field list");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return parse_field_list(text.str());
  } catch (const core::OgcError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

json to_json(const FieldList& fields) {
  json groups = json::array();
  for (const auto& g : fields.groups()) {
    json list = json::array();
    for (const auto& f : g.fields) list.push_back({{"key", f.key}, {"label", f.label}, {"type", to_string(f.type)}});
    groups.push_back({{"key", g.key}, {"label", g.label}, {"fields", list}});
  }
  return groups;
}

const std::vector<MemberState>& member_states() {
  static const std::vector<MemberState> states = {
      {"BRN", "Brunei Darussalam"}, {"KHM", "Cambodia"},    {"IDN", "Indonesia"}, {"LAO", "Lao PDR"},
      {"MYS", "Malaysia"},          {"MMR", "Myanmar"},     {"PHL", "Philippines"}, {"SGP", "Singapore"},
      {"THA", "Thailand"},          {"VNM", "Viet Nam"}};
  return states;
}

const MemberState* member_state(std::string_view iso3) {
  for (const auto& s : member_states())
    if (iso3 == s.iso3) return &s;
  return nullptr;
}

}  // namespace amis::invest
