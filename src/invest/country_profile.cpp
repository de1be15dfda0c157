#include "invest/country_profile.hpp"

#include <cmath>

#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::invest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxText = 4000;
constexpr std::size_t kMaxSource = 1000;
constexpr std::size_t kMaxDocument = 1 << 20;

bool is_date(const std::string& text) {
  const auto parsed = core::parse_instant(text);
  return text.size() == 10 && parsed && *parsed == text;
}

std::string string_member(const json& entry, const char* name, const std::string& key, std::size_t max) {
  auto it = entry.find(name);
  if (it == entry.end() || !it->is_string() || it->get_ref<const std::string&>().empty() ||
      it->get_ref<const std::string&>().size() > max)
    throw core::InvalidValue(key, "field " + key + " needs '" + name + "': a text of 1 to " + std::to_string(max) +
                                      " characters");
  return it->get<std::string>();
}

json checked_value(const ProfileField& field, const json& value) {
  const std::string& key = field.key;
  switch (field.type) {
    case FieldType::Text:
      if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
          value.get_ref<const std::string&>().size() > kMaxText)
        throw core::InvalidValue(key, "field " + key + " is a text of 1 to 4000 characters");
      return value;
    case FieldType::Year:
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1800 || value.get<std::int64_t>() > 2200)
        throw core::InvalidValue(key, "field " + key + " is a year, an integer from 1800 to 2200");
      return value;
    case FieldType::Percent: {
      if (!value.is_number()) throw core::InvalidValue(key, "field " + key + " is a percentage, a number from 0 to 100");
      const double v = value.get<double>();
      if (!std::isfinite(v) || v < 0 || v > 100)
        throw core::InvalidValue(key, "field " + key + " is a percentage, a number from 0 to 100");
      return value;
    }
    case FieldType::Date:
      if (!value.is_string() || !is_date(value.get<std::string>()))
        throw core::InvalidValue(key, "field " + key + " is a date, YYYY-MM-DD");
      return value;
    case FieldType::Url: {
      if (!value.is_string()) throw core::InvalidValue(key, "field " + key + " is an http(s) URL");
      const auto& url = value.get_ref<const std::string&>();
      bool ok = url.size() <= 2000 && (url.starts_with("https://") || url.starts_with("http://")) &&
                url.find("://") + 3 < url.size();
      for (unsigned char c : url) ok = ok && c > 0x20 && c != 0x7f && c != '"' && c != '<' && c != '>';
      if (!ok) throw core::InvalidValue(key, "field " + key + " is an http(s) URL");
      return value;
    }
  }
  return value;
}

}  // namespace

core::Collection profile_collection() {
  core::Collection c;
  c.id = kProfileCollection;
  c.title = "Country investment profiles";
  c.description = "The investment profiles of the ASEAN Member States (authority, legal framework, licences, "
                  "procedure, fiscal terms, foreign ownership, environmental and social requirements, incentives), "
                  "each value with its public source and as-of date, edited by each member state and approved by "
                  "reviewers. Read them at /countries.";
  c.keywords = {"ASEAN", "investment", "country profile", "mining law"};
  c.properties = {{"iso3", core::PropertyType::Text}, {"fields", core::PropertyType::Text}};
  return c;
}

json to_document(const CountryProfile& profile) {
  json doc = json::object();
  for (const auto& [key, v] : profile.values) doc[key] = {{"value", v.value}, {"source", v.source}, {"asOf", v.as_of}};
  return doc;
}

json to_properties(const CountryProfile& profile) {
  return {{"iso3", profile.iso3}, {"fields", to_document(profile).dump()}};
}

FieldValue parse_field_value(const ProfileField& field, const json& entry) {
  if (!entry.is_object()) throw core::InvalidValue(field.key, "field " + field.key + " is {value, source, asOf}");
  for (const auto& [name, _] : entry.items())
    if (name != "value" && name != "source" && name != "asOf")
      throw core::InvalidValue(field.key, "field " + field.key + " has only value, source and asOf");
  auto value = entry.find("value");
  if (value == entry.end()) throw core::InvalidValue(field.key, "field " + field.key + " needs 'value'");
  FieldValue out{checked_value(field, *value), string_member(entry, "source", field.key, kMaxSource),
                 string_member(entry, "asOf", field.key, 10)};
  if (!is_date(out.as_of)) throw core::InvalidValue(field.key, "field " + field.key + ": 'asOf' is a date, YYYY-MM-DD");
  return out;
}

CountryProfile parse_profile_document(std::string_view text, const FieldList& fields) {
  if (text.size() > kMaxDocument) throw core::InvalidValue("fields", "a profile document is at most 1 MiB");
  const auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw core::ParsingFailed("fields", "a profile document is a JSON object of fields");
  CountryProfile profile;
  for (const auto& [key, entry] : doc.items()) {
    const auto* field = fields.field(key);
    if (!field) throw core::InvalidValue("fields", "'" + key.substr(0, 64) + "' is no field of the profiles");
    profile.values[key] = parse_field_value(*field, entry);
  }
  return profile;
}

CountryProfile from_properties(const json& properties, const FieldList& fields) {
  CountryProfile profile;
  if (auto it = properties.find("iso3"); it != properties.end() && it->is_string()) profile.iso3 = it->get<std::string>();
  auto text = properties.find("fields");
  if (text == properties.end() || !text->is_string()) return profile;
  const auto doc = json::parse(text->get<std::string>(), nullptr, false);
  if (!doc.is_object()) return profile;
  for (const auto& [key, entry] : doc.items()) {
    const auto* field = fields.field(key);
    if (!field) continue;
    try {
      profile.values[key] = parse_field_value(*field, entry);
    } catch (const core::InvalidValue&) {
    }
  }
  return profile;
}

CountryProfile apply_edit(const CountryProfile& profile, const json& body, const FieldList& fields) {
  for (const auto& [name, _] : body.items())
    if (name != "fields") throw core::InvalidValue(name.substr(0, 40), "an edit is {\"fields\": {...}}");
  auto edits = body.find("fields");
  if (edits == body.end() || !edits->is_object() || edits->empty())
    throw core::InvalidValue("fields", "an edit needs 'fields': an object of the fields changed");
  CountryProfile out = profile;
  for (const auto& [key, entry] : edits->items()) {
    const auto* field = fields.field(key);
    if (!field) throw core::InvalidValue("fields", "'" + key.substr(0, 64) + "' is no field of the profiles");
    if (entry.is_null()) out.values.erase(key);
    else out.values[key] = parse_field_value(*field, entry);
  }
  return out;
}

std::string display_value(const ProfileField& field, const FieldValue& v) {
  if (v.value.is_string()) return v.value.get<std::string>();
  if (field.type == FieldType::Percent) {
    std::string text = v.value.dump();
    return text + " %";
  }
  return v.value.dump();
}

}  // namespace amis::invest
