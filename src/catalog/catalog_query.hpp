#pragma once
// A typed catalogue search, the same for every protocol (OGC API - Records, CSW,
// the portal) and every store backend (GeoPackage with FTS5 and R-tree; PostGIS
// with tsvector/GIN and GiST).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/datetime.hpp"
#include "core/envelope.hpp"
#include "core/expression.hpp"
#include "core/feature_query.hpp"

namespace amis::catalog {

// The fields facets are counted on (OGC API - Records facets; CSW GetDomain).
enum class FacetField { Keyword, Country, Theme, Type, Format };
inline constexpr FacetField kFacetFields[] = {FacetField::Keyword, FacetField::Country, FacetField::Theme,
                                              FacetField::Type, FacetField::Format};
std::string_view to_string(FacetField field);  // "keyword", "country", "theme", "type", "format"
std::optional<FacetField> parse_facet_field(std::string_view name);

struct CatalogQuery {
  // Full text: records matching any of the terms (each a word or a phrase),
  // ranked by relevance (best first) unless `sortby` says otherwise. Terms are
  // data, never query syntax: quotes, operators and apostrophes are matched as text.
  std::vector<std::string> q;
  // Words each of which every match contains, in any case, in its title, abstract,
  // keywords or themes (CSW's csw:AnyText: catalog/any_text.hpp); a substring
  // match, not a token match.
  std::vector<std::string> any_text;
  std::optional<core::Envelope> bbox;          // CRS84; records whose extent intersects it
  std::optional<core::TimeInterval> datetime;  // records whose temporal extent meets it
  std::vector<std::string> types;              // any of these resource types
  std::vector<std::string> ids;                // only these record ids
  std::vector<std::string> external_ids;       // records with any of these external id values
                                               // ("value" or "scheme:value")
  // A filter on the catalogue's queryables (catalog/queryables.hpp), from CQL2
  // text/JSON or OGC Filter; null for none.
  std::shared_ptr<const core::Expression> filter;
  // Keys over the sortables (catalog/queryables.hpp), then by id. Empty: by
  // relevance when `q` is given, else by id.
  std::vector<core::SortKey> sortby;
  std::optional<std::int64_t> limit = 10;  // nullopt: every match (an export); no cap here
  std::int64_t offset = 0;
  bool count = true;  // whether to count every match (numberMatched / numberOfRecordsMatched)
  std::vector<FacetField> facets;  // which facets to count over every match
  std::int64_t facet_buckets = 50;  // at most this many values per facet, the most frequent first
};

struct FacetBucket {
  std::string value;
  std::int64_t count = 0;
};

struct Facet {
  FacetField field = FacetField::Keyword;
  std::vector<FacetBucket> buckets;  // by count descending, then value
};

}  // namespace amis::catalog
