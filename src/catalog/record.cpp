#include "catalog/record.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace amis::catalog {

bool is_resource_type(std::string_view type) {
  return std::ranges::find(kResourceTypes, type) != std::end(kResourceTypes);
}

std::string_view iso_scope_code(std::string_view type) {
  if (type == "document") return "nonGeographicDataset";
  if (type == "map" || type == "collection") return "dataset";
  if (is_resource_type(type)) return type;
  return "dataset";
}

bool is_party_role(std::string_view role) {
  return std::ranges::find(kPartyRoles, role) != std::end(kPartyRoles);
}

std::string_view to_string(RecordOrigin origin) {
  switch (origin) {
    case RecordOrigin::Derived: return "derived";
    case RecordOrigin::Authored: return "authored";
    case RecordOrigin::Harvested: return "harvested";
  }
  return "authored";
}

RecordOrigin parse_record_origin(std::string_view text) {
  if (text == "derived") return RecordOrigin::Derived;
  if (text == "authored") return RecordOrigin::Authored;
  if (text == "harvested") return RecordOrigin::Harvested;
  throw core::InvalidValue("origin", "not a record origin: derived, authored or harvested");
}

std::vector<std::string> Record::all_keywords() const {
  std::vector<std::string> out;
  for (const auto& group : keywords) out.insert(out.end(), group.keywords.begin(), group.keywords.end());
  return out;
}

std::vector<std::string> Record::formats() const {
  std::vector<std::string> out;
  for (const auto& link : links)
    if (!link.format.empty() && std::ranges::find(out, link.format) == out.end()) out.push_back(link.format);
  return out;
}

bool is_valid_record_id(std::string_view id) {
  if (id.empty() || id.size() > 256) return false;
  return std::ranges::all_of(id, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == ':';
  });
}

namespace {

void validate_extent(const core::Envelope& e) {
  const bool finite = std::isfinite(e.min_x) && std::isfinite(e.min_y) && std::isfinite(e.max_x) &&
                      std::isfinite(e.max_y);
  if (!finite || e.min_x < -180 || e.max_x > 180 || e.min_y < -90 || e.max_y > 90 || e.min_x > e.max_x ||
      e.min_y > e.max_y)
    throw core::InvalidValue("extent", "a CRS84 box within [-180,180] x [-90,90] with min <= max");
}

}  // namespace

void validate(const Record& record) {
  if (!is_valid_record_id(record.id))
    throw core::InvalidValue("id", "a record id is 1 to 256 of A-Z a-z 0-9 . _ - :");
  if (record.title.empty()) throw core::InvalidValue("title", "a record has a title");
  if (!is_resource_type(record.type)) throw core::InvalidValue("type", "not a resource type: " + record.type);
  if (record.extent) validate_extent(*record.extent);
  for (const auto& party : record.contacts)
    if (!is_party_role(party.role)) throw core::InvalidValue("contacts", "not a CI_RoleCode: " + party.role);
  if (record.parent_id == record.id) throw core::InvalidValue("parent", "a record is not its own parent");
}

}  // namespace amis::catalog
