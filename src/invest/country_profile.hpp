#pragma once
// A member state's investment profile (issue 20): for each field of the field
// list, a value with the public source it is cited from and the date it holds
// as of. A profile is a feature of the non-spatial collection `country_profiles`
// (one per ASEAN Member State), so that it is written, reviewed, approved and
// versioned by the same change sets as every other edit (edit/), and an editor
// changes only their own country's profile (edit::EditingPolicy, by `iso3`).
// Nothing here is ever filled in by AMIS: a field without a citable source is
// absent, and pages say so.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/collection.hpp"
#include "invest/profile_fields.hpp"

namespace amis::invest {

inline constexpr const char* kProfileCollection = "country_profiles";

struct FieldValue {
  nlohmann::json value;  // a string, or a number for year and percent fields
  std::string source;    // the citation: a law, gazette, official page or report
  std::string as_of;     // YYYY-MM-DD: the date the value holds as of
};

struct CountryProfile {
  std::string iso3;
  std::map<std::string, FieldValue, std::less<>> values;  // by field key; absent: no citable source entered
};

// The collection the profiles are features of (no geometry): iso3 and the
// profile document as JSON text.
core::Collection profile_collection();

// The profile document: {"<field key>": {"value": ..., "source": "...", "asOf": "YYYY-MM-DD"}, ...}.
nlohmann::json to_document(const CountryProfile& profile);
nlohmann::json to_properties(const CountryProfile& profile);

// Reads a profile document strictly: every key a field of `fields`, every value
// of its field's type with a source and an as-of date. @throws core::ParsingFailed,
// core::InvalidValue naming the field.
CountryProfile parse_profile_document(std::string_view text, const FieldList& fields);

// A stored profile, leniently: what does not fit the field list (renamed
// fields) is left out rather than refused, so a changed list never hides a country.
CountryProfile from_properties(const nlohmann::json& properties, const FieldList& fields);

// An edit of some fields: {"fields": {"<key>": {value, source, asOf} | null}}
// (null empties a field), applied over `profile`. @throws core::InvalidValue.
CountryProfile apply_edit(const CountryProfile& profile, const nlohmann::json& body, const FieldList& fields);

// One value checked against its field. @throws core::InvalidValue naming the field.
FieldValue parse_field_value(const ProfileField& field, const nlohmann::json& entry);

// A value as people read it ("35 %", "2009", the text).
std::string display_value(const ProfileField& field, const FieldValue& value);

}  // namespace amis::invest
