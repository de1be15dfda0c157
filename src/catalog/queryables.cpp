#include "catalog/queryables.hpp"

#include <array>

namespace amis::catalog {

namespace {

constexpr std::array kQueryables{
    Queryable{"id", QueryableType::Text, "Record identifier", true},
    Queryable{"type", QueryableType::Text, "Resource type", true},
    Queryable{"title", QueryableType::Text, "Title", true},
    Queryable{"description", QueryableType::Text, "Abstract", false},
    Queryable{"keywords", QueryableType::TextList, "Keywords", false},
    Queryable{"themes", QueryableType::TextList, "ISO topic categories and thesaurus concepts", false},
    Queryable{"country", QueryableType::Text, "Member state (ISO 3166 alpha-3)", true},
    Queryable{"language", QueryableType::Text, "Language of the resource (ISO 639-2)", true},
    Queryable{"formats", QueryableType::TextList, "Distribution formats", false},
    Queryable{"license", QueryableType::Text, "Licence", true},
    Queryable{"parent", QueryableType::Text, "Parent record identifier", false},
    Queryable{"externalIds", QueryableType::TextList, "Identifiers in other schemes", false},
    Queryable{"created", QueryableType::DateTime, "Date the resource was created", true},
    Queryable{"updated", QueryableType::DateTime, "Date the record was last updated", true},
    Queryable{"published", QueryableType::DateTime, "Date the resource was published", true},
    Queryable{"featureCount", QueryableType::Integer, "Number of features", true},
    Queryable{"geometry", QueryableType::Extent, "Spatial extent", false},
    Queryable{"datetime", QueryableType::DateTime, "Temporal extent", false},
};

}  // namespace

std::span<const Queryable> queryables() { return kQueryables; }

const Queryable* find_queryable(std::string_view name) {
  for (const auto& q : kQueryables)
    if (q.name == name) return &q;
  return nullptr;
}

}  // namespace amis::catalog
