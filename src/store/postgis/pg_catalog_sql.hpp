#pragma once
// A CatalogQuery as PostgreSQL over the catalogue's tables (pg_catalog_schema.hpp),
// with the meaning of the GeoPackage catalogue's (store/gpkg/catalog_sql.hpp): `q`
// as every word of a term, any term (phraseto_tsquery per word, 'simple' over
// amis_search_text as the FTS5 unicode61 tokenizer reads words; each word a bound
// value, never query syntax), matched against the GIN-indexed tsvector, ranked
// by ts_rank with the weights of the GeoPackage's bm25 (title 10 : keywords 5 :
// abstract 2 : the rest 1); bbox on the GiST-indexed extent and its exact corners;
// AnyText through the word list and the tsvector, then its exact condition; the
// filter through the shared compiler (store/catalog_filter.hpp). Written with
// '?' placeholders; numbered() (pg_query.hpp) binds them.
#include <string>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "store/catalog_conditions.hpp"
#include "store/filter_compiler.hpp"

namespace amis::store::postgis {

struct PgCatalogSql {
  std::string from;  // " FROM amis_records [, (SELECT … AS tsq) AS amis_q] WHERE ..."
  std::vector<Binding> bindings;
  bool ranked = false;  // amis_q.tsq is there to rank by
};

// `any_text_words`: the index words of query.any_text's parts (catalog_conditions.hpp).
// @throws core::InvalidParameter for a filter on something that is not a queryable.
PgCatalogSql catalog_matches(const catalog::CatalogQuery& query, const AnyTextWords& any_text_words = {});

// " ORDER BY ..." for the query: sortby keys (NULLs first ascending, as SQLite),
// else relevance (best first) when ranked, then id.
// @throws core::InvalidParameter("sortby", ...) for what is not a sortable.
std::string catalog_order(const catalog::CatalogQuery& query, bool ranked);

}  // namespace amis::store::postgis
