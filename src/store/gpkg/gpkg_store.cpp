#include "store/gpkg/gpkg_store.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/wkb.hpp"
#include "store/aggregate_sql.hpp"
#include "store/attribute_indexes.hpp"
#include "store/gpkg/collection_writer.hpp"
#include "store/gpkg/filter_functions.hpp"
#include "store/gpkg/gpkg_binary.hpp"
#include "store/gpkg/gpkg_query.hpp"
#include "store/gpkg/gpkg_schema.hpp"
#include "store/gpkg/sql_functions.hpp"

namespace amis::store::gpkg {
namespace {

core::PropertyType property_type(std::string declared) {
  for (auto& c : declared) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (declared.starts_with("INT") || declared == "TINYINT" || declared == "SMALLINT" ||
      declared == "MEDIUMINT")
    return core::PropertyType::Integer;
  if (declared == "REAL" || declared == "DOUBLE" || declared == "FLOAT")
    return core::PropertyType::Real;
  if (declared == "BOOLEAN") return core::PropertyType::Boolean;
  if (declared == "DATE") return core::PropertyType::Date;
  if (declared == "DATETIME") return core::PropertyType::DateTime;
  return core::PropertyType::Text;
}

std::vector<core::Property> read_properties(sqlite::Database& db, const std::string& table) {
  std::vector<core::Property> properties;
  auto info = db.cached("SELECT name, type, pk FROM pragma_table_info(?)");
  info->bind(1, std::string_view(table));
  while (info->step()) {
    const std::string name(info->column_text(0));
    if (info->column_int(2) != 0 || name == "geom") continue;
    properties.push_back({name, property_type(std::string(info->column_text(1)))});
  }
  return properties;
}

std::optional<std::string> optional_text(sqlite::Statement& s, int i) {
  if (s.is_null(i)) return std::nullopt;
  return std::string(s.column_text(i));
}

constexpr const char* kCollectionSelect =
    "SELECT a.id, a.table_name, a.title, a.description, a.keywords, a.licence, a.attribution, "
    "a.temporal_property, a.temporal_start, a.temporal_end, a.feature_count, a.updated, "
    "c.min_x, c.min_y, c.max_x, c.max_y, g.geometry_type_name "
    "FROM amis_collections a JOIN gpkg_contents c ON c.table_name = a.table_name "
    "JOIN gpkg_geometry_columns g ON g.table_name = a.table_name";

core::Collection read_collection(sqlite::Database& db, sqlite::Statement& s) {
  core::Collection c;
  c.id = s.column_text(0);
  const std::string table(s.column_text(1));
  c.title = s.column_text(2);
  c.description = s.column_text(3);
  if (!s.is_null(4)) {
    auto keywords = nlohmann::json::parse(s.column_text(4), nullptr, false);
    if (keywords.is_array())
      for (const auto& k : keywords)
        if (k.is_string()) c.keywords.push_back(k.get<std::string>());
  }
  c.licence = s.column_text(5);
  c.attribution = s.column_text(6);
  c.temporal_property = optional_text(s, 7);
  if (!s.is_null(8) || !s.is_null(9))
    c.temporal_extent = core::TimeInterval{optional_text(s, 8), optional_text(s, 9)};
  c.feature_count = s.column_int(10);
  c.updated = s.column_text(11);
  if (!s.is_null(12))
    c.extent = core::Envelope{s.column_double(12), s.column_double(13), s.column_double(14),
                              s.column_double(15)};
  c.geometry_type = s.column_text(16);
  c.properties = read_properties(db, table);
  return c;
}

}  // namespace

GpkgStore::GpkgStore(std::string path) : path_(std::move(path)), pool_([this] { return open(); }) {
  auto db = open();
  initialise_geopackage(*db);
  pool_.give_back(std::move(db));
}

std::unique_ptr<sqlite::Database> GpkgStore::open() {
  auto db = std::make_unique<sqlite::Database>(path_, sqlite::Database::Mode::ReadWrite);
  register_sql_functions(db->handle());
  register_filter_functions(db->handle());
  // CQL2 LIKE is case-sensitive; CASEI() makes it insensitive where asked.
  db->exec("PRAGMA case_sensitive_like = ON");
  // Reads through a memory map instead of a pread() per page: the profile of map
  // rendering spent 13% of its time in pread. The map is shared by the page cache.
  db->exec("PRAGMA mmap_size = 1073741824");
  return db;
}

sqlite::ConnectionPool::Lease GpkgStore::connect() { return pool_.lease(); }

StoreHealth GpkgStore::health() {
  DatabaseHealth file;
  file.role = "file";
  file.name = std::filesystem::path(path_).filename().string();
  try {
    auto db = connect();
    auto s = db->cached("SELECT count(*) FROM amis_collections");
    s->step();
    file.reachable = true;
  } catch (const std::exception&) {
    file.error = "the store file cannot be read";  // no path or SQLite text: the file system is not the client's
  }
  return {"geopackage", {file}};
}

std::vector<core::Collection> GpkgStore::collections() {
  auto db = connect();
  std::vector<core::Collection> result;
  auto s = db->cached(std::string(kCollectionSelect) + " ORDER BY a.id");
  while (s->step()) result.push_back(read_collection(*db, *s));
  return result;
}

std::optional<core::Collection> GpkgStore::collection(std::string_view id) {
  auto db = connect();
  auto s = db->cached(std::string(kCollectionSelect) + " WHERE a.id = ?");
  s->bind(1, id);
  if (!s->step()) return std::nullopt;
  return read_collection(*db, *s);
}

std::int64_t GpkgStore::count(const core::Collection& collection, const core::FeatureQuery& paged) {
  const auto query = core::unpaged(paged);
  if (auto fast = bbox_count(collection, query)) return run_count(*fast);
  return count_where(collection, where_clause(collection, query));
}

void GpkgStore::create_attribute_index(const core::Collection& collection,
                                       const std::vector<std::string>& properties) {
  const auto index = index_definition(collection, properties);
  auto db = open();
  db->exec("CREATE INDEX IF NOT EXISTS " + sqlite::quote_identifier(index.name) + " ON " +
           sqlite::quote_identifier(collection.id) + " (" + index.columns + ")");
}

std::vector<std::string> GpkgStore::text_values(const core::Collection& collection, const std::string& property,
                                                std::size_t max) {
  const auto* p = collection.property(property);
  if (!p || p->type != core::PropertyType::Text) return {};
  auto db = connect();
  const auto column = sqlite::quote_identifier(property);
  auto s = db->cached("SELECT DISTINCT " + column + " FROM " + sqlite::quote_identifier(collection.id) + " WHERE " +
                      column + " IS NOT NULL ORDER BY 1 LIMIT ?");
  s->bind(1, static_cast<std::int64_t>(max) + 1);
  std::vector<std::string> values;
  while (s->step()) values.emplace_back(s->column_text(0));
  if (values.size() > max) values.clear();
  return values;
}

std::int64_t GpkgStore::run_count(const SqlWhere& statement) {
  auto db = connect();
  auto s = db->cached(statement.sql);
  bind_all(*s, statement.bindings);
  s->step();
  return s->column_int(0);
}

std::int64_t GpkgStore::count_where(const core::Collection& collection, const SqlWhere& where) {
  if (where.sql.empty()) return collection.feature_count;  // kept exact by every commit
  auto db = connect();
  const std::string sql = "SELECT count(*) FROM " + sqlite::quote_identifier(collection.id) + where.sql;
  spdlog::debug("count SQL: {}", sql);
  auto s = db->cached(sql);
  bind_all(*s, where.bindings);
  s->step();
  return s->column_int(0);
}

namespace {

// Reads rows of (fid, geom, properties...) and pushes them into the sink.
std::int64_t push_rows(sqlite::Statement& s, size_t property_count, core::FeatureSink& sink) {
  std::vector<core::Value> values(property_count);
  std::int64_t pushed = 0;
  while (s.step()) {
    core::FeatureView view;
    view.id = s.column_int(0);
    if (s.column_type(1) == SQLITE_BLOB) {
      try {
        view.wkb = parse_gpkg_geometry(s.column_blob(1)).wkb;
      } catch (const core::WkbError&) {
        view.wkb = {};  // an unreadable geometry is served as null, not as an error
      }
    }
    for (size_t i = 0; i < property_count; ++i) {
      const int col = static_cast<int>(i) + 2;
      auto& v = values[i];
      switch (s.column_type(col)) {
        case SQLITE_INTEGER: v.kind = core::Value::Kind::Integer; v.integer = s.column_int(col); break;
        case SQLITE_FLOAT: v.kind = core::Value::Kind::Real; v.real = s.column_double(col); break;
        case SQLITE_TEXT: v.kind = core::Value::Kind::Text; v.text = s.column_text(col); break;
        default: v.kind = core::Value::Kind::Null;
      }
    }
    view.values = values;
    sink.feature(view);
    ++pushed;
  }
  return pushed;
}

}  // namespace

std::int64_t GpkgStore::features(const core::Collection& collection, const core::FeatureQuery& query,
                                 core::FeatureSink& sink, std::int64_t* matched) {
  const SqlWhere where = where_clause(collection, query);
  std::int64_t pushed = 0;
  {
    auto db = connect();
    const core::Collection output = project(collection, query.properties);
    const std::string sql = "SELECT " + select_list(output) + " FROM " + sqlite::quote_identifier(collection.id) +
                            where.sql + order_by(collection, query) + " LIMIT ? OFFSET ?";
    spdlog::debug("page SQL: {}", sql);  // what EXPLAIN QUERY PLAN is asked about (tests, diagnosis)
    auto s = db->cached(sql);
    const int next = bind_all(*s, where.bindings);
    s->bind(next, query.limit);
    s->bind(next + 1, query.after ? 0 : query.offset);  // after a key, offset is only the position
    pushed = push_rows(*s, output.properties.size(), sink);
  }
  if (matched) {
    // A page that is not full is the last one: its end is the count. (Counting in
    // the same query with count(*) OVER () made SQLite gather every match before
    // the first row, ten times slower for broad filters with small pages.)
    const auto all = core::unpaged(query);
    if (query.after) *matched = count(collection, all);  // the position is the client's word, not a count
    else if (where.sql.empty()) *matched = collection.feature_count;
    else if (pushed < query.limit && (pushed > 0 || query.offset == 0)) *matched = query.offset + pushed;
    else if (auto fast = bbox_count(collection, all)) *matched = run_count(*fast);
    else *matched = count_where(collection, where);  // the filter is compiled once
  }
  return pushed;
}

bool GpkgStore::feature(const core::Collection& collection, std::int64_t id,
                        core::FeatureSink& sink) {
  auto db = connect();
  auto s = db->cached("SELECT " + select_list(collection) + " FROM " +
                      sqlite::quote_identifier(collection.id) + " WHERE fid = ?");
  s->bind(1, id);
  return push_rows(*s, collection.properties.size(), sink) > 0;
}

std::unique_ptr<CollectionWriter> GpkgStore::replace_collection(const core::Collection& metadata) {
  return std::make_unique<GpkgCollectionWriter>(open(), metadata);
}

void GpkgStore::remove_collection(std::string_view id) {
  auto db = open();
  sqlite::Transaction tx(*db);
  std::string table;
  {
    auto s = db->cached("SELECT table_name FROM amis_collections WHERE id = ?");
    s->bind(1, id);
    if (!s->step()) throw core::NotFound("no collection '" + std::string(id) + "'");
    table = s->column_text(0);
  }
  drop_feature_table(*db, table);
  auto styles = db->cached("DELETE FROM amis_styles WHERE collection = ?");
  styles->bind(1, id);
  styles->run();
  tx.commit();
}

namespace {

constexpr const char* kStyleSelect =
    "SELECT collection, name, title, abstract, sld, updated FROM amis_styles WHERE collection = ?";

StoredStyle read_style(sqlite::Statement& s) {
  return {std::string(s.column_text(0)), std::string(s.column_text(1)), std::string(s.column_text(2)),
          std::string(s.column_text(3)), std::string(s.column_text(4)), std::string(s.column_text(5))};
}

}  // namespace

std::vector<StoredStyle> GpkgStore::styles(std::string_view collection) {
  auto db = connect();
  auto s = db->cached(std::string(kStyleSelect) + " ORDER BY name");
  s->bind(1, collection);
  std::vector<StoredStyle> out;
  while (s->step()) out.push_back(read_style(*s));
  return out;
}

std::optional<StoredStyle> GpkgStore::style(std::string_view collection, std::string_view name) {
  auto db = connect();
  auto s = db->cached(std::string(kStyleSelect) + " AND name = ?");
  s->bind(1, collection);
  s->bind(2, name);
  if (!s->step()) return std::nullopt;
  return read_style(*s);
}

void GpkgStore::put_style(const StoredStyle& style) {
  auto db = connect();
  sqlite::Transaction tx(*db);
  {
    auto exists = db->cached("SELECT 1 FROM amis_collections WHERE id = ?");
    exists->bind(1, std::string_view(style.collection));
    if (!exists->step()) throw core::NotFound("no collection '" + style.collection + "'");
  }
  auto s = db->cached(
      "INSERT OR REPLACE INTO amis_styles (collection, name, title, abstract, sld, updated) "
      "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
  s->bind(1, std::string_view(style.collection));
  s->bind(2, std::string_view(style.name));
  s->bind(3, std::string_view(style.title));
  s->bind(4, std::string_view(style.abstract));
  s->bind(5, std::string_view(style.sld));
  s->run();
  tx.commit();
}

bool GpkgStore::remove_style(std::string_view collection, std::string_view name) {
  auto db = connect();
  auto s = db->cached("DELETE FROM amis_styles WHERE collection = ? AND name = ?");
  s->bind(1, collection);
  s->bind(2, name);
  s->run();
  return sqlite3_changes(db->handle()) > 0;
}

namespace {

constexpr const char* kRasterSelect =
    "SELECT id, title, description, attribution, licence, path, min_value, max_value, min_x, min_y, max_x, max_y, "
    "country FROM amis_rasters";

RasterLayer read_raster(sqlite::Statement& s, const std::string& store_path) {
  RasterLayer r{std::string(s.column_text(0)), std::string(s.column_text(1)), std::string(s.column_text(2)),
                std::string(s.column_text(3)), std::string(s.column_text(4)), std::string(s.column_text(5)),
                s.column_double(6), s.column_double(7),
                core::Envelope{s.column_double(8), s.column_double(9), s.column_double(10), s.column_double(11)},
                {}, std::string(s.column_text(12))};
  r.path = (std::filesystem::absolute(store_path).parent_path() / r.path).string();
  return r;
}

std::vector<RasterBand> read_bands(sqlite::Database& db, std::string_view raster) {
  auto s = db.cached(
      "SELECT name, unit, description, data_type, nodata, min_value, max_value FROM amis_raster_bands "
      "WHERE raster = ? ORDER BY band");
  s->bind(1, raster);
  std::vector<RasterBand> out;
  while (s->step()) {
    RasterBand b{std::string(s->column_text(0)), std::string(s->column_text(1)), std::string(s->column_text(2)),
                 std::string(s->column_text(3)), std::nullopt, s->column_double(5), s->column_double(6)};
    if (!s->is_null(4)) b.nodata = s->column_double(4);
    out.push_back(std::move(b));
  }
  return out;
}

// What a new grid changes of a raster layer, as the 7 parameters from `first`:
// path, min, max, min_x, min_y, max_x, max_y.
void bind_grid(sqlite::Statement& s, int first, const RasterLayer& r) {
  s.bind(first, std::string_view(r.path));
  s.bind(first + 1, r.min);
  s.bind(first + 2, r.max);
  s.bind(first + 3, r.extent.min_x);
  s.bind(first + 4, r.extent.min_y);
  s.bind(first + 5, r.extent.max_x);
  s.bind(first + 6, r.extent.max_y);
}

void write_bands(sqlite::Database& db, const RasterLayer& r) {
  auto removed = db.cached("DELETE FROM amis_raster_bands WHERE raster = ?");
  removed->bind(1, std::string_view(r.id));
  removed->run();
  for (std::size_t i = 0; i < r.bands.size(); ++i) {
    const auto& b = r.bands[i];
    auto s = db.cached(
        "INSERT INTO amis_raster_bands (raster, band, name, unit, description, data_type, nodata, min_value, "
        "max_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s->bind(1, std::string_view(r.id));
    s->bind(2, static_cast<std::int64_t>(i + 1));
    s->bind(3, std::string_view(b.name));
    s->bind(4, std::string_view(b.unit));
    s->bind(5, std::string_view(b.description));
    s->bind(6, std::string_view(b.data_type));
    if (b.nodata) s->bind(7, *b.nodata);
    else s->bind_null(7);
    s->bind(8, b.min);
    s->bind(9, b.max);
    s->run();
  }
}

}  // namespace

std::vector<RasterLayer> GpkgStore::rasters() {
  auto db = connect();
  auto s = db->cached(std::string(kRasterSelect) + " ORDER BY id");
  std::vector<RasterLayer> out;
  while (s->step()) out.push_back(read_raster(*s, path_));
  for (auto& r : out) r.bands = read_bands(*db, r.id);
  return out;
}

std::optional<RasterLayer> GpkgStore::raster(std::string_view id) {
  auto db = connect();
  auto s = db->cached(std::string(kRasterSelect) + " WHERE id = ?");
  s->bind(1, id);
  if (!s->step()) return std::nullopt;
  auto r = read_raster(*s, path_);
  r.bands = read_bands(*db, r.id);
  return r;
}

void GpkgStore::put_raster(const RasterLayer& r) {
  auto db = connect();
  sqlite::Transaction tx(*db);
  {
    auto taken = db->cached("SELECT 1 FROM amis_collections WHERE id = ?");
    taken->bind(1, std::string_view(r.id));
    if (taken->step()) throw core::InvalidParameter("id", "a collection is already called '" + r.id + "'");
  }
  auto s = db->cached(
      "INSERT OR REPLACE INTO amis_rasters (id, title, description, attribution, licence, path, min_value, "
      "max_value, min_x, min_y, max_x, max_y, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s->bind(1, std::string_view(r.id));
  s->bind(2, std::string_view(r.title));
  s->bind(3, std::string_view(r.description));
  s->bind(4, std::string_view(r.attribution));
  s->bind(5, std::string_view(r.licence));
  bind_grid(*s, 6, r);
  s->bind(13, std::string_view(r.country));
  s->run();
  write_bands(*db, r);
  tx.commit();
}

bool GpkgStore::replace_grid(const RasterLayer& r, std::string_view based_on) {
  auto db = connect();
  sqlite::Transaction tx(*db);  // BEGIN IMMEDIATE: the check and the write hold the store's write lock
  {
    auto now = db->cached("SELECT path FROM amis_rasters WHERE id = ?");
    now->bind(1, std::string_view(r.id));
    if (!now->step()) return false;
    if (std::filesystem::path(std::string(now->column_text(0))).filename().string() != based_on) return false;
  }
  auto s = db->cached(
      "UPDATE amis_rasters SET path = ?, min_value = ?, max_value = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ? "
      "WHERE id = ?");
  bind_grid(*s, 1, r);
  s->bind(8, std::string_view(r.id));
  s->run();
  write_bands(*db, r);
  tx.commit();
  return true;
}

}  // namespace amis::store::gpkg

namespace amis::store::gpkg {

std::vector<AggregateGroup> GpkgStore::aggregate(const core::Collection& collection, const core::FeatureQuery& query,
                                                 const Aggregate& aggregate, bool& truncated) {
  SqlWhere where = where_clause(collection, core::unpaged(query));
  const std::string sql = aggregate_sql(collection, aggregate, sqlite::quote_identifier(collection.id), where.sql, false);
  where.bindings.emplace_back(aggregate.max_groups + 1);
  spdlog::debug("aggregate SQL: {}", sql);
  auto db = connect();
  auto s = db->cached(sql);
  bind_all(*s, where.bindings);
  const int keys = static_cast<int>(aggregate.group_by.size());
  std::vector<AggregateGroup> groups;
  while (s->step()) {
    AggregateGroup g;
    for (int i = 0; i < keys; ++i)
      g.keys.push_back(s->is_null(i) ? std::nullopt : std::optional<std::string>(std::string(s->column_text(i))));
    g.count = s->column_int(keys);
    for (int i = 0; i < static_cast<int>(aggregate.sums.size()); ++i)
      g.sums.push_back(s->is_null(keys + 1 + i) ? std::nullopt : std::optional<double>(s->column_double(keys + 1 + i)));
    groups.push_back(std::move(g));
  }
  finish_groups(groups, aggregate, truncated);
  return groups;
}

}  // namespace amis::store::gpkg
