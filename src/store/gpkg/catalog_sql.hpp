#pragma once
// Turns a CatalogQuery into SQL over the catalogue's tables (catalog_rows.hpp):
// `q` through FTS5 (terms quoted as phrases, so no client text is query syntax;
// bm25 ranks), AnyText through the word list and FTS5 then its exact condition, bbox through the R-tree and the exact extent, the filter through
// the feature filter compiler over the record columns. Values are bindings.
#include <string>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "store/catalog_conditions.hpp"
#include "store/gpkg/gpkg_query.hpp"

namespace amis::store::gpkg {

struct CatalogSql {
  std::string from;   // " FROM amis_records [JOIN (...fts...)] WHERE ..." (the matching rows)
  std::vector<Binding> bindings;
  bool ranked = false;  // the FROM carries `score` (lower is better)
  // Set when `q` is the query's only condition: the FTS5 query whose rows are the
  // matches' fids (every record has its full-text row, written and deleted with it),
  // so that counting them or listing their fids needs no lookup in amis_records.
  std::string full_text_only;
};

// `any_text_words`: the index words of query.any_text's parts (catalog_conditions.hpp).
// @throws core::InvalidParameter for a filter on something that is not a queryable.
CatalogSql catalog_matches(const catalog::CatalogQuery& query, const AnyTextWords& any_text_words = {});

// " ORDER BY ..." for the query: sortby keys, else relevance when ranked, then id.
// @throws core::InvalidParameter("sortby", ...) for what is not a sortable.
std::string catalog_order(const catalog::CatalogQuery& query, bool ranked);

// The fids of every match of an FTS5 query (fts_match) in the order a search by it
// alone lists them (best first, then by id), its one binding the query; with no query
// (`full_text` false), of every record by id and no binding.
std::string ranked_fids_sql(bool full_text);

// The FTS5 query text for `q`: each term a quoted phrase, joined by OR; empty
// when no term has a character to search for.
std::string fts_match(const std::vector<std::string>& terms);

}  // namespace amis::store::gpkg
