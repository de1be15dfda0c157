#include "catalog/catalog_query.hpp"

namespace amis::catalog {

std::string_view to_string(FacetField field) {
  switch (field) {
    case FacetField::Keyword: return "keyword";
    case FacetField::Country: return "country";
    case FacetField::Theme: return "theme";
    case FacetField::Type: return "type";
    case FacetField::Format: return "format";
  }
  return "keyword";
}

std::optional<FacetField> parse_facet_field(std::string_view name) {
  for (FacetField f : kFacetFields)
    if (to_string(f) == name) return f;
  return std::nullopt;
}

}  // namespace amis::catalog
