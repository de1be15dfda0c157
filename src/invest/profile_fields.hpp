#pragma once
// The fields of a country investment profile (issue 20): one list for the ten
// ASEAN Member States, in groups, read from static/invest/profile-fields.json so
// that the portal and translators use the same keys, types and English labels.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace amis::invest {

enum class FieldType { Text, Year, Date, Percent, Url };
const char* to_string(FieldType type);

struct ProfileField {
  std::string key;
  std::string label;
  FieldType type = FieldType::Text;
  std::string group;  // the group's key
};

struct FieldGroup {
  std::string key;
  std::string label;
  std::vector<ProfileField> fields;
};

class FieldList {
 public:
  FieldList() = default;
  explicit FieldList(std::vector<FieldGroup> groups) : groups_(std::move(groups)) {}

  const std::vector<FieldGroup>& groups() const { return groups_; }
  // Every field, in the groups' order.
  std::vector<const ProfileField*> fields() const;
  const ProfileField* field(std::string_view key) const;
  std::size_t size() const;

 private:
  std::vector<FieldGroup> groups_;
};

// The field list from its JSON document: {"groups": [{key, label, fields: [{key,
// label, type}]}]}; keys are unique lowercase identifiers. @throws core::ParsingFailed,
// core::InvalidValue.
FieldList parse_field_list(std::string_view text);
// The same from a file. @throws std::runtime_error naming the file.
FieldList load_field_list(const std::string& path);

// The field list as the API gives it (groups with their fields, in order).
nlohmann::json to_json(const FieldList& fields);

// The ten ASEAN Member States (ISO 3166-1 alpha-3) in the order pages list them,
// with their English short names.
struct MemberState {
  const char* iso3;
  const char* name;
};
const std::vector<MemberState>& member_states();
const MemberState* member_state(std::string_view iso3);

}  // namespace amis::invest
