#include "store/gpkg/catalog_sql.hpp"

#include "catalog/english_stemmer.hpp"
#include "catalog/queryables.hpp"
#include "core/error.hpp"
#include "store/catalog_conditions.hpp"
#include "store/catalog_filter.hpp"
#include "store/catalog_row.hpp"
#include "store/full_text_words.hpp"
#include "store/gpkg/catalog_rows.hpp"

namespace amis::store::gpkg {
namespace {

void add_bbox(std::string& sql, std::vector<Binding>& b, const core::Envelope& e) {
  const auto boxes = antimeridian_boxes(e);
  sql += " AND (";
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const auto& x = boxes[i];
    sql += std::string(i ? " OR " : "") +
           "(fid IN (SELECT id FROM rtree_amis_records_geom WHERE minx <= ? AND maxx >= ? AND miny <= ? AND "
           "maxy >= ?) AND min_x <= ? AND max_x >= ? AND min_y <= ? AND max_y >= ?)";
    for (int twice = 0; twice < 2; ++twice)
      for (double v : {x.max_x, x.min_x, x.max_y, x.min_y}) b.emplace_back(v);
  }
  sql += ")";
}

// Each AnyText part through the full-text index: records with one of the index
// words that contain it in an AnyText field (the index holds the words' stems).
void add_any_text_index(std::string& sql, std::vector<Binding>& b, const AnyTextWords& words) {
  for (const auto& part : words.parts) {
    if (part.empty()) {
      sql += " AND 0";
      continue;
    }
    std::string match = "{title keywords description} : (";
    for (std::size_t i = 0; i < part.size(); ++i)
      match += (i ? " OR \"" : "\"") + catalog::english_stem(part[i]) + "\"";
    sql += " AND fid IN (SELECT rowid FROM amis_records_fts WHERE amis_records_fts MATCH ?)";
    b.emplace_back(match + ")");
  }
}

// The matches of an FTS5 query (one binding) with their bm25 rank as `score`, joined to
// their records: title, keywords, description and other text weighted 10, 5, 2, 1.
constexpr const char* kRankedFullText =
    " JOIN (SELECT rowid AS fts_rowid, bm25(amis_records_fts, 10.0, 5.0, 2.0, 1.0) AS score "
    "FROM amis_records_fts WHERE amis_records_fts MATCH ?) ON fts_rowid = fid";

}  // namespace

std::string ranked_fids_sql(bool full_text) {
  return std::string("SELECT fid FROM ") + kRecordTable + (full_text ? kRankedFullText : "") +
         catalog_order(catalog::CatalogQuery{}, full_text);
}

std::string fts_match(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& term : terms) {
    // The words of one term must all occur (each the phrase of its stems, as the
    // index holds them); any term may match.
    std::string all;
    for (auto word : searchable_words(term)) {
      std::string quoted = "\"";
      std::string stems = stemmed_text(word);
      if (stems.empty()) stems = word;  // no word FTS5 reads: as it was typed
      for (char c : stems) {
        if (c == '"') quoted += "\"\"";
        else quoted += c;
      }
      all += (all.empty() ? "" : " AND ") + quoted + "\"";
    }
    if (!all.empty()) out += (out.empty() ? "(" : " OR (") + all + ")";
  }
  return out;
}

CatalogSql catalog_matches(const catalog::CatalogQuery& query, const AnyTextWords& any_text_words) {
  CatalogSql out;
  std::string where = " WHERE 1";
  auto& b = out.bindings;
  if (!query.q.empty()) {
    const std::string match = fts_match(query.q);
    if (match.empty()) {
      where += " AND 0";  // nothing to search for matches nothing
    } else {
      out.from = kRankedFullText;
      b.emplace_back(match);
      out.ranked = true;
    }
  }
  add_any_text_index(where, b, any_text_words);
  const auto compile = [&](const core::Collection& columns, const core::Expression& filter) {
    compile_filter(columns, filter, GpkgDialect(columns), where, b);
  };
  add_any_text_conditions(where, query, compile);
  if (query.bbox) add_bbox(where, b, *query.bbox);
  if (query.datetime) add_temporal_overlap(where, b, *query.datetime);
  if (!query.types.empty()) add_in_list(where, b, "type", query.types);
  if (!query.ids.empty()) add_in_list(where, b, "id", query.ids);
  if (!query.external_ids.empty()) {
    where += " AND fid IN (SELECT fid FROM amis_record_terms WHERE field = 'externalId'";
    add_in_list(where, b, "value", query.external_ids);
    where += ")";
  }
  if (query.filter) {
    where += " AND ";
    compile_record_filter(*query.filter, compile);
  }
  if (out.ranked && where == " WHERE 1") out.full_text_only = std::get<std::string>(b.front());
  out.from = std::string(" FROM ") + kRecordTable + out.from + where;
  return out;
}

std::string catalog_order(const catalog::CatalogQuery& query, bool ranked) {
  std::string sql = " ORDER BY ";
  for (const auto& key : query.sortby) {
    sql += sqlite::quote_identifier(sortable(key).name) + (key.descending ? " DESC, " : " ASC, ");
  }
  if (query.sortby.empty() && ranked) sql += "score, ";
  return sql + "id";
}

}  // namespace amis::store::gpkg
