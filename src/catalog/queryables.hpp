#pragma once
// The catalogue's queryables and sortables: the names a filter (CQL2, OGC Filter)
// and sortby may use, whatever the protocol, with their types. OGC API - Records
// lists them at /queryables and /sortables; CSW maps its ISO and Dublin Core
// queryables (apiso:Title, dc:subject, ...) onto these names; a store compiles
// exactly these.
#include <optional>
#include <span>
#include <string_view>

namespace amis::catalog {

enum class QueryableType { Text, TextList, DateTime, Integer, Extent };

struct Queryable {
  std::string_view name;   // e.g. "title"
  QueryableType type;
  std::string_view title;  // for /queryables
  bool sortable;
};

// id, type, title, description, keywords (TextList), themes (TextList: topic
// categories and thesaurus keywords), country, language, formats (TextList),
// licence, parent, created, updated, published, externalIds (TextList),
// featureCount (Integer), geometry (Extent: spatial predicates), datetime
// (the temporal extent: temporal predicates).
std::span<const Queryable> queryables();
const Queryable* find_queryable(std::string_view name);

}  // namespace amis::catalog
