#include "store/postgis/pg_catalog_sql.hpp"

#include "catalog/english_stemmer.hpp"
#include "catalog/queryables.hpp"
#include "core/error.hpp"
#include "store/catalog_conditions.hpp"
#include "store/catalog_filter.hpp"
#include "store/catalog_row.hpp"
#include "store/full_text_words.hpp"
#include "store/postgis/pg_query.hpp"

namespace amis::store::postgis {
namespace {

// ts_rank's weights for D, C, B, A: the other text 1, abstract 2, keywords 5, title 10
// (the GeoPackage catalogue's bm25 column weights).
constexpr const char* kRankWeights = "'{0.1, 0.2, 0.5, 1.0}'";

// As the GeoPackage's FTS5 query: every word of a term (each one phrase of the
// stems of its tokens, as the tsvector holds them) and any term; empty when no
// word has anything to search for.
std::string text_query(const std::vector<std::string>& terms, std::vector<Binding>& bindings) {
  std::string out;
  for (const auto& term : terms) {
    std::string all;
    for (auto word : searchable_words(term)) {
      all += std::string(all.empty() ? "" : " && ") + "phraseto_tsquery('simple', ?)";
      std::string stems = stemmed_text(word);
      bindings.emplace_back(stems.empty() ? std::string(word) : std::move(stems));  // no word: as it was typed
    }
    if (!all.empty()) out += (out.empty() ? "(" : " || (") + all + ")";
  }
  return out;
}

void add_bbox(std::string& sql, std::vector<Binding>& b, const core::Envelope& e) {
  // The GiST index on the extent finds the candidates; the corners decide exactly
  // (the index's boxes are rounded outwards to float).
  const auto boxes = antimeridian_boxes(e);
  sql += " AND (";
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const auto& x = boxes[i];
    sql += std::string(i ? " OR " : "") +
           "(geom && ST_MakeEnvelope(?, ?, ?, ?, 4326) AND min_x <= ? AND max_x >= ? AND min_y <= ? AND max_y >= ?)";
    for (double v : {x.min_x, x.min_y, x.max_x, x.max_y}) b.emplace_back(v);
    for (double v : {x.max_x, x.min_x, x.max_y, x.min_y}) b.emplace_back(v);
  }
  sql += ")";
}

// Each AnyText part through the tsvector: records with one of the index words
// (their stems, as the tsvector holds them) that contain it (words are lexemes of the 'simple' configuration: letters and
// digits only, so quoting them makes them tsquery operands and nothing else).
void add_any_text_index(std::string& sql, std::vector<Binding>& b, const AnyTextWords& words) {
  for (const auto& part : words.parts) {
    if (part.empty()) {
      sql += " AND FALSE";
      continue;
    }
    std::string query;
    for (const auto& word : part) query += (query.empty() ? "'" : " | '") + catalog::english_stem(word) + "'";
    sql += " AND tsv @@ to_tsquery('simple', ?)";
    b.emplace_back(std::move(query));
  }
}

}  // namespace

PgCatalogSql catalog_matches(const catalog::CatalogQuery& query, const AnyTextWords& any_text_words) {
  PgCatalogSql out;
  std::string where = " WHERE TRUE";
  auto& b = out.bindings;
  std::string from = std::string(" FROM ") + kRecordTable;
  if (!query.q.empty()) {
    const std::string tsq = text_query(query.q, b);
    if (tsq.empty()) {
      where += " AND FALSE";  // nothing to search for matches nothing
    } else {
      from += " CROSS JOIN (SELECT " + tsq + " AS tsq) AS amis_q";
      where += " AND tsv @@ amis_q.tsq";
      out.ranked = true;
    }
  }
  add_any_text_index(where, b, any_text_words);
  const auto compile = [&](const core::Collection& columns, const core::Expression& filter) {
    compile_filter(columns, filter, PgDialect(), where, b);
  };
  add_any_text_conditions(where, query, compile);
  if (query.bbox) add_bbox(where, b, *query.bbox);
  if (query.datetime) add_temporal_overlap(where, b, *query.datetime);
  if (!query.types.empty()) add_in_list(where, b, "type", query.types);
  if (!query.ids.empty()) add_in_list(where, b, std::string(kRecordTable) + ".id", query.ids);
  if (!query.external_ids.empty()) {
    where += std::string(" AND ") + kRecordTable + ".id IN (SELECT id FROM amis_record_terms WHERE field = 'externalId'";
    add_in_list(where, b, "value", query.external_ids);
    where += ")";
  }
  if (query.filter) {
    where += " AND ";
    compile_record_filter(*query.filter, compile);
  }
  out.from = from + where;
  return out;
}

std::string catalog_order(const catalog::CatalogQuery& query, bool ranked) {
  std::string sql = " ORDER BY ";
  for (const auto& key : query.sortby) {
    sql += std::string(kRecordTable) + "." + quote_identifier(sortable(key).name) +
           (key.descending ? " DESC NULLS LAST, " : " ASC NULLS FIRST, ");
  }
  if (query.sortby.empty() && ranked) sql += "ts_rank(" + std::string(kRankWeights) + ", tsv, amis_q.tsq) DESC, ";
  return sql + kRecordTable + ".id";
}

}  // namespace amis::store::postgis
