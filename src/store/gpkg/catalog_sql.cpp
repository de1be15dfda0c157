#include "store/gpkg/catalog_sql.hpp"

#include "catalog/queryables.hpp"
#include "core/error.hpp"
#include "store/gpkg/catalog_rows.hpp"
#include "store/gpkg/filter_sql.hpp"

namespace amis::store::gpkg {
namespace {

using catalog::QueryableType;

// The record columns as the feature filter compiler sees a collection's properties.
core::Collection record_columns() {
  core::Collection c;
  c.id = kRecordTable;
  for (const auto& q : catalog::queryables()) {
    switch (q.type) {
      case QueryableType::Text:
      case QueryableType::TextList: c.properties.push_back({std::string(q.name), core::PropertyType::Text}); break;
      case QueryableType::DateTime:
        if (q.name != "datetime") c.properties.push_back({std::string(q.name), core::PropertyType::DateTime});
        break;
      case QueryableType::Integer: c.properties.push_back({std::string(q.name), core::PropertyType::Integer}); break;
      case QueryableType::Extent: break;  // "geometry": the compiler's geom column
    }
  }
  // The queryable `parent` and `license` are the columns of those names; `datetime`
  // (the temporal extent) is only served by the `datetime` parameter.
  return c;
}

// `datetime` in a filter means the record's temporal extent: an interval of two columns.
core::Expression rewrite_datetime(const core::Expression& e) {
  if (e.kind == core::Expression::Kind::Property && e.text == "datetime") {
    core::Expression interval;
    interval.kind = core::Expression::Kind::Interval;
    interval.args = {core::Expression::property("time_start"), core::Expression::property("time_end")};
    return interval;
  }
  core::Expression out = e;
  for (auto& a : out.args) a = rewrite_datetime(a);
  return out;
}

void add_list(std::string& sql, std::vector<Binding>& b, const std::string& column, const std::vector<std::string>& v) {
  sql += " AND " + column + " IN (";
  for (std::size_t i = 0; i < v.size(); ++i) {
    sql += i ? ", ?" : "?";
    b.emplace_back(v[i]);
  }
  sql += ")";
}

void add_bbox(std::string& sql, std::vector<Binding>& b, const core::Envelope& e) {
  // A box across the antimeridian (west > east) is two boxes.
  std::vector<core::Envelope> boxes;
  if (e.min_x <= e.max_x) boxes.push_back(e);
  else boxes = {{e.min_x, e.min_y, 180, e.max_y}, {-180, e.min_y, e.max_x, e.max_y}};
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

void add_datetime(std::string& sql, std::vector<Binding>& b, const core::TimeInterval& t) {
  sql += " AND (time_start IS NOT NULL OR time_end IS NOT NULL)";
  if (t.end) {
    sql += " AND (time_start IS NULL OR time_start <= ?)";
    b.emplace_back(*t.end);
  }
  if (t.start) {
    sql += " AND (time_end IS NULL OR time_end >= ?)";
    b.emplace_back(*t.start);
  }
}

}  // namespace

// One word as an FTS5 string: quoted, its quotes doubled; empty when it has no
// letter or digit (the tokenizer would find nothing in it).
std::string fts_word(std::string_view word) {
  bool searchable = false;
  std::string quoted = "\"";
  for (char c : word) {
    if (c == '"') quoted += "\"\"";
    else quoted += c;
    searchable = searchable || static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c));
  }
  return searchable ? quoted + "\"" : std::string();
}

std::string fts_match(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& term : terms) {
    // The words of one term must all occur; any term may match.
    std::string all;
    std::size_t start = 0;
    // Words are separated by spaces and control characters (a NUL would end FTS5's
    // reading of its query text inside a quoted word).
    auto separator = [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; };
    while (start < term.size()) {
      std::size_t end = start;
      while (end < term.size() && !separator(term[end])) ++end;
      if (auto w = fts_word(std::string_view(term).substr(start, end - start)); !w.empty())
        all += (all.empty() ? "" : " AND ") + w;
      start = end + 1;
    }
    if (!all.empty()) out += (out.empty() ? "(" : " OR (") + all + ")";
  }
  return out;
}

CatalogSql catalog_matches(const catalog::CatalogQuery& query) {
  CatalogSql out;
  std::string where = " WHERE 1";
  auto& b = out.bindings;
  if (!query.q.empty()) {
    const std::string match = fts_match(query.q);
    if (match.empty()) {
      where += " AND 0";  // nothing to search for matches nothing
    } else {
      out.from = " JOIN (SELECT rowid AS fts_rowid, bm25(amis_records_fts, 10.0, 5.0, 2.0, 1.0) AS score "
                 "FROM amis_records_fts WHERE amis_records_fts MATCH ?) ON fts_rowid = fid";
      b.emplace_back(match);
      out.ranked = true;
    }
  }
  if (query.bbox) add_bbox(where, b, *query.bbox);
  if (query.datetime) add_datetime(where, b, *query.datetime);
  if (!query.types.empty()) add_list(where, b, "type", query.types);
  if (!query.ids.empty()) add_list(where, b, "id", query.ids);
  if (!query.external_ids.empty()) {
    where += " AND fid IN (SELECT fid FROM amis_record_terms WHERE field = 'externalId'";
    add_list(where, b, "value", query.external_ids);
    where += ")";
  }
  if (query.filter) {
    where += " AND ";
    core::Collection columns = record_columns();
    columns.properties.push_back({"time_start", core::PropertyType::DateTime});
    columns.properties.push_back({"time_end", core::PropertyType::DateTime});
    try {
      compile_filter(columns, rewrite_datetime(*query.filter), where, b);
    } catch (const core::OgcError& e) {
      // The compiler names the feature table's queryables page; ours is the catalogue's.
      std::string message = e.what();
      const std::string page = std::string("/collections/") + kRecordTable + "/queryables";
      if (auto at = message.find(page); at != std::string::npos) message.replace(at, page.size(), "the catalogue's /queryables");
      throw core::OgcError(e.status(), e.code(), message, e.locator());
    }
  }
  out.from = std::string(" FROM ") + kRecordTable + out.from + where;
  return out;
}

std::string catalog_order(const catalog::CatalogQuery& query, bool ranked) {
  std::string sql = " ORDER BY ";
  for (const auto& key : query.sortby) {
    const auto* q = catalog::find_queryable(key.property);
    if (!q || !q->sortable)
      throw core::InvalidParameter("sortby", "'" + key.property + "' is not a sortable (see /sortables)");
    sql += sqlite::quote_identifier(q->name) + (key.descending ? " DESC, " : " ASC, ");
  }
  if (query.sortby.empty() && ranked) sql += "score, ";
  return sql + "id";
}

}  // namespace amis::store::gpkg
