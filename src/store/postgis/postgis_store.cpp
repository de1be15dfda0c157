#include "store/postgis/postgis_store.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "store/aggregate_sql.hpp"
#include "store/attribute_indexes.hpp"
#include "store/postgis/pg_collection_writer.hpp"
#include "store/postgis/pg_distinct_values.hpp"
#include "store/postgis/pg_load_tables.hpp"
#include "store/postgis/pg_query.hpp"
#include "store/postgis/pg_schema.hpp"

namespace amis::store::postgis {
namespace {

core::PropertyType property_type(const std::string& name) {
  for (auto t : {core::PropertyType::Integer, core::PropertyType::Real, core::PropertyType::Boolean,
                 core::PropertyType::Date, core::PropertyType::DateTime})
    if (name == core::to_string(t)) return t;
  return core::PropertyType::Text;
}

std::optional<std::string> optional_text(const Result& r, int row, int column) {
  if (r.is_null(row, column)) return std::nullopt;
  return std::string(r.text(row, column));
}

constexpr const char* kCollectionSelect =
    "SELECT id, title, description, keywords, licence, attribution, temporal_property, temporal_start, "
    "temporal_end, feature_count, updated, min_x, min_y, max_x, max_y, geometry_type, properties::text "
    "FROM amis_collections";

core::Collection read_collection(const Result& r, int row) {
  core::Collection c;
  c.id = r.text(row, 0);
  c.title = r.text(row, 1);
  c.description = r.text(row, 2);
  if (!r.is_null(row, 3)) {
    auto keywords = nlohmann::json::parse(r.text(row, 3), nullptr, false);
    if (keywords.is_array())
      for (const auto& k : keywords)
        if (k.is_string()) c.keywords.push_back(k.get<std::string>());
  }
  c.licence = r.text(row, 4);
  c.attribution = r.text(row, 5);
  c.temporal_property = optional_text(r, row, 6);
  if (!r.is_null(row, 7) || !r.is_null(row, 8))
    c.temporal_extent = core::TimeInterval{optional_text(r, row, 7), optional_text(r, row, 8)};
  c.feature_count = r.integer(row, 9);
  c.updated = r.text(row, 10);
  if (!r.is_null(row, 11))
    c.extent = core::Envelope{r.real(row, 11), r.real(row, 12), r.real(row, 13), r.real(row, 14)};
  c.geometry_type = r.text(row, 15);
  auto properties = nlohmann::json::parse(r.text(row, 16), nullptr, false);
  if (properties.is_array())
    for (const auto& p : properties)
      c.properties.push_back({p.value("name", ""), property_type(p.value("type", "string"))});
  return c;
}

// Decodes one binary row of (fid, wkb, properties...) into a feature view.
void push_row(const Result& r, std::size_t property_count, std::vector<core::Value>& values,
              core::FeatureSink& sink) {
  core::FeatureView view;
  view.id = r.integer(0, 0);
  if (!r.is_null(0, 1)) view.wkb = r.bytes(0, 1);
  for (std::size_t i = 0; i < property_count; ++i) {
    const int col = static_cast<int>(i) + 2;
    auto& v = values[i];
    if (r.is_null(0, col)) {
      v.kind = core::Value::Kind::Null;
      continue;
    }
    switch (r.type(col)) {
      case oid::kInt2:
      case oid::kInt4:
      case oid::kInt8:
      case oid::kBool: v.kind = core::Value::Kind::Integer; v.integer = r.integer(0, col); break;
      case oid::kFloat4:
      case oid::kFloat8: v.kind = core::Value::Kind::Real; v.real = r.real(0, col); break;
      default: v.kind = core::Value::Kind::Text; v.text = r.text(0, col);
    }
  }
  view.values = values;
  sink.feature(view);
}

// Streams the rows of a started statement into the sink, one at a time.
std::int64_t stream_rows(Connection& connection, std::size_t property_count, core::FeatureSink& sink) {
  std::vector<core::Value> values(property_count);
  std::int64_t pushed = 0;
  while (auto row = connection.next_row()) {
    for (int i = 0; i < row->rows(); ++i) {  // one row in single-row mode
      if (row->rows() == 1) {
        push_row(*row, property_count, values, sink);
      } else {
        throw core::ServerError("a streamed result came whole");
      }
    }
    pushed += row->rows();
  }
  return pushed;
}

constexpr const char* kNow = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

}  // namespace

PostgisStore::PostgisStore(DatabaseSettings databases, std::string folder) : folder_(std::move(folder)) {
  databases_ = std::make_unique<Databases>(std::move(databases));
  auto connection = databases_->primary().acquire();
  ensure_schema(*connection);
  // What imports that died left behind goes when a node starts (or any command opens the
  // store), not only at the next import. A role that may not drop tables leaves them.
  try {
    drop_abandoned_load_tables(*connection);
  } catch (const std::exception& e) {
    spdlog::warn("PostgreSQL: the loading tables of imports that did not finish were left: {}", e.what());
  }
}

StoreHealth PostgisStore::health() { return {"postgis", databases_->health()}; }

std::vector<core::Collection> PostgisStore::collections() {
  auto db = databases_->read();
  const Result r = db->exec(std::string(kCollectionSelect) + " ORDER BY id COLLATE \"C\"");
  std::vector<core::Collection> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_collection(r, i));
  return out;
}

std::optional<core::Collection> PostgisStore::collection(std::string_view id) {
  // libpq sends a text parameter up to its first NUL: "coal_mines\0x" would find coal_mines.
  // No stored id holds a NUL (PostgreSQL's text cannot), so such an id names nothing.
  if (id.find('\0') != std::string_view::npos) return std::nullopt;
  auto db = databases_->read();
  const Result r = db->exec(std::string(kCollectionSelect) + " WHERE id = $1", Params().text(id));
  if (r.rows() == 0) return std::nullopt;
  return read_collection(r, 0);
}

std::string PostgisStore::index_statement(const core::Collection& collection,
                                          const std::vector<std::string>& properties) {
  const auto index = index_definition(collection, properties);
  // PostgreSQL names have at most 63 bytes; a long name is cut the same way each time.
  return "CREATE INDEX IF NOT EXISTS " + quote_identifier(index.name.substr(0, 63)) + " ON " +
         feature_table(collection.id) + " (" + index.columns + ")";
}

void PostgisStore::create_attribute_index(const core::Collection& collection,
                                          const std::vector<std::string>& properties) {
  const std::string statement = index_statement(collection, properties);
  auto db = databases_->primary().acquire();
  db->exec(statement);
}

void PostgisStore::create_attribute_indexes(const core::Collection& collection,
                                            const std::vector<std::vector<std::string>>& indexes) {
  std::vector<std::string> statements;
  for (const auto& columns : indexes) statements.push_back(index_statement(collection, columns));
  if (statements.empty()) return;
  std::vector<Pool::Lease> connections;
  connections.push_back(databases_->primary().acquire());
  if (statements.size() > 1)
    if (auto second = databases_->primary().try_acquire()) connections.push_back(std::move(*second));
  for (std::size_t i = 0; i < statements.size(); i += connections.size()) {
    const std::size_t n = std::min(connections.size(), statements.size() - i);
    for (std::size_t k = 0; k < n; ++k) connections[k]->send(statements[i + k]);
    for (std::size_t k = 0; k < n; ++k) connections[k]->finish();
  }
}

std::vector<std::string> PostgisStore::text_values(const core::Collection& collection, const std::string& property,
                                                   std::size_t max) {
  const auto* p = collection.property(property);
  if (!p || p->type != core::PropertyType::Text) return {};
  if (auto known = categories_.values(collection.id, collection.updated, property, max)) return *known;
  auto db = databases_->read();
  return distinct_text_values(*db, collection.id, p->name, max);
}

std::int64_t PostgisStore::count_where(const core::Collection& collection, const SqlWhere& where) {
  if (where.sql.empty()) return collection.feature_count;  // kept exact by every commit
  Params params;
  const std::string sql = "SELECT count(*) FROM " + feature_table(collection.id) + numbered(where.sql, where.bindings, params);
  spdlog::debug("count SQL: {}", sql);
  auto db = databases_->read();
  return db->exec(sql, params).integer(0, 0);
}

std::int64_t PostgisStore::count(const core::Collection& collection, const core::FeatureQuery& query) {
  return count_where(collection, where_clause(collection, core::unpaged(query)));
}

std::int64_t PostgisStore::features(const core::Collection& collection, const core::FeatureQuery& query,
                                    core::FeatureSink& sink, std::int64_t* matched) {
  const SqlWhere where = where_clause(collection, query);
  const core::Collection output = core::project(collection, query.properties);
  Params params;
  std::string sql = "SELECT " + select_list(output) + " FROM " + feature_table(collection.id) +
                    numbered(where.sql, where.bindings, params) + order_by(collection, query);
  params.integer(query.limit).integer(query.after ? 0 : query.offset);  // after a key, offset is only the position
  sql += " LIMIT $" + std::to_string(params.size() - 1) + " OFFSET $" + std::to_string(params.size());
  spdlog::debug("page SQL: {}", sql);
  std::int64_t pushed = 0;
  {
    auto db = databases_->read();
    db->send_streaming(sql, params, Format::Binary);
    pushed = stream_rows(*db, output.properties.size(), sink);
  }
  if (matched) {
    // A page that is not full is the last one: its end is the count.
    if (query.after) *matched = count(collection, query);  // the position is the client's word, not a count
    else if (where.sql.empty()) *matched = collection.feature_count;
    else if (pushed < query.limit && (pushed > 0 || query.offset == 0)) *matched = query.offset + pushed;
    else *matched = count_where(collection, where);
  }
  return pushed;
}

bool PostgisStore::feature(const core::Collection& collection, std::int64_t id, core::FeatureSink& sink) {
  auto db = databases_->read();
  db->send_streaming("SELECT " + select_list(collection) + " FROM " + feature_table(collection.id) + " WHERE fid = $1",
                     Params().integer(id), Format::Binary);
  return stream_rows(*db, collection.properties.size(), sink) > 0;
}

std::unique_ptr<CollectionWriter> PostgisStore::replace_collection(const core::Collection& metadata) {
  return std::make_unique<PgCollectionWriter>(databases_->primary(), metadata, categories_);
}

void PostgisStore::remove_collection(std::string_view id) {
  auto db = databases_->primary().acquire();
  Transaction tx(*db);
  if (db->exec("DELETE FROM amis_collections WHERE id = $1", Params().text(id)).affected() == 0)
    throw core::NotFound("no collection '" + std::string(id) + "'");
  db->exec("DROP TABLE IF EXISTS " + feature_table(id));
  db->exec("DELETE FROM amis_styles WHERE collection = $1", Params().text(id));
  db->exec("DELETE FROM amis_feature_versions WHERE collection = $1", Params().text(id));  // a new history
  tx.commit();
}

namespace {

constexpr const char* kStyleSelect =
    "SELECT collection, name, title, abstract, sld, updated FROM amis_styles WHERE collection = $1";

StoredStyle read_style(const Result& r, int i) {
  return {std::string(r.text(i, 0)), std::string(r.text(i, 1)), std::string(r.text(i, 2)),
          std::string(r.text(i, 3)), std::string(r.text(i, 4)), std::string(r.text(i, 5))};
}

}  // namespace

std::vector<StoredStyle> PostgisStore::styles(std::string_view collection) {
  auto db = databases_->read();
  const Result r = db->exec(std::string(kStyleSelect) + " ORDER BY name COLLATE \"C\"", Params().text(collection));
  std::vector<StoredStyle> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_style(r, i));
  return out;
}

std::optional<StoredStyle> PostgisStore::style(std::string_view collection, std::string_view name) {
  auto db = databases_->read();
  const Result r = db->exec(std::string(kStyleSelect) + " AND name = $2", Params().text(collection).text(name));
  if (r.rows() == 0) return std::nullopt;
  return read_style(r, 0);
}

void PostgisStore::put_style(const StoredStyle& style) {
  auto db = databases_->primary().acquire();
  Transaction tx(*db);
  if (db->exec("SELECT 1 FROM amis_collections WHERE id = $1", Params().text(style.collection)).rows() == 0)
    throw core::NotFound("no collection '" + style.collection + "'");
  db->exec(std::string("INSERT INTO amis_styles (collection, name, title, abstract, sld, updated) "
                       "VALUES ($1, $2, $3, $4, $5, ") + kNow + ") ON CONFLICT (collection, name) DO UPDATE SET "
                       "title = EXCLUDED.title, abstract = EXCLUDED.abstract, sld = EXCLUDED.sld, "
                       "updated = EXCLUDED.updated",
           Params().text(style.collection).text(style.name).text(style.title).text(style.abstract).text(style.sld));
  tx.commit();
}

bool PostgisStore::remove_style(std::string_view collection, std::string_view name) {
  auto db = databases_->primary().acquire();
  return db->exec("DELETE FROM amis_styles WHERE collection = $1 AND name = $2", Params().text(collection).text(name))
             .affected() > 0;
}

namespace {

constexpr const char* kRasterSelect =
    "SELECT id, title, description, attribution, licence, path, min_value, max_value, min_x, min_y, max_x, max_y, "
    "country FROM amis_rasters";

RasterLayer read_raster(const Result& r, int i, const std::string& folder) {
  RasterLayer layer{std::string(r.text(i, 0)), std::string(r.text(i, 1)), std::string(r.text(i, 2)),
                    std::string(r.text(i, 3)), std::string(r.text(i, 4)), std::string(r.text(i, 5)),
                    r.real(i, 6), r.real(i, 7),
                    core::Envelope{r.real(i, 8), r.real(i, 9), r.real(i, 10), r.real(i, 11)},
                    {}, std::string(r.text(i, 12))};
  // Stored relative to the store's folder ("rasters/<file>"), as in the GeoPackage store.
  layer.path = (std::filesystem::absolute(folder) / layer.path).string();
  return layer;
}

template <class Connection>
std::vector<RasterBand> read_bands(Connection& db, std::string_view raster) {
  const Result r = db.exec(
      "SELECT name, unit, description, data_type, nodata, min_value, max_value FROM amis_raster_bands "
      "WHERE raster = $1 ORDER BY band",
      Params().text(raster));
  std::vector<RasterBand> out;
  for (int i = 0; i < r.rows(); ++i) {
    RasterBand b{std::string(r.text(i, 0)), std::string(r.text(i, 1)), std::string(r.text(i, 2)),
                 std::string(r.text(i, 3)), std::nullopt, r.real(i, 5), r.real(i, 6)};
    if (!r.is_null(i, 4)) b.nodata = r.real(i, 4);
    out.push_back(std::move(b));
  }
  return out;
}

// Replaces the bands of `raster.id` by `raster.bands`, inside the caller's transaction.
template <class Connection>
void write_bands(Connection& db, const RasterLayer& raster) {
  db.exec("DELETE FROM amis_raster_bands WHERE raster = $1", Params().text(raster.id));
  for (std::size_t i = 0; i < raster.bands.size(); ++i) {
    const auto& b = raster.bands[i];
    Params p;
    p.text(raster.id).integer(static_cast<std::int64_t>(i + 1)).text(b.name).text(b.unit).text(b.description)
        .text(b.data_type);
    if (b.nodata) p.real(*b.nodata);
    else p.null();
    p.real(b.min).real(b.max);
    db.exec(
        "INSERT INTO amis_raster_bands (raster, band, name, unit, description, data_type, nodata, min_value, "
        "max_value) VALUES ($1, $2, $3, $4, $5, $6, $7::double precision, $8, $9)",
        p);
  }
}

}  // namespace

std::vector<RasterLayer> PostgisStore::rasters() {
  auto db = databases_->read();
  const Result r = db->exec(std::string(kRasterSelect) + " ORDER BY id COLLATE \"C\"");
  std::vector<RasterLayer> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_raster(r, i, folder_));
  for (auto& layer : out) layer.bands = read_bands(*db, layer.id);
  return out;
}

std::optional<RasterLayer> PostgisStore::raster(std::string_view id) {
  if (id.find('\0') != std::string_view::npos) return std::nullopt;  // as collection()
  auto db = databases_->read();
  const Result r = db->exec(std::string(kRasterSelect) + " WHERE id = $1", Params().text(id));
  if (r.rows() == 0) return std::nullopt;
  auto layer = read_raster(r, 0, folder_);
  layer.bands = read_bands(*db, layer.id);
  return layer;
}

void PostgisStore::put_raster(const RasterLayer& raster) {
  auto db = databases_->primary().acquire();
  Transaction tx(*db);
  if (db->exec("SELECT 1 FROM amis_collections WHERE id = $1", Params().text(raster.id)).rows() > 0)
    throw core::InvalidParameter("id", "a collection is already called '" + raster.id + "'");
  db->exec(
      "INSERT INTO amis_rasters (id, title, description, attribution, licence, path, min_value, max_value, "
      "min_x, min_y, max_x, max_y, country) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
      "ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description, "
      "attribution = EXCLUDED.attribution, licence = EXCLUDED.licence, path = EXCLUDED.path, "
      "min_value = EXCLUDED.min_value, max_value = EXCLUDED.max_value, min_x = EXCLUDED.min_x, "
      "min_y = EXCLUDED.min_y, max_x = EXCLUDED.max_x, max_y = EXCLUDED.max_y, country = EXCLUDED.country",
      Params()
          .text(raster.id).text(raster.title).text(raster.description).text(raster.attribution).text(raster.licence)
          .text(raster.path).real(raster.min).real(raster.max).real(raster.extent.min_x).real(raster.extent.min_y)
          .real(raster.extent.max_x).real(raster.extent.max_y).text(raster.country));
  write_bands(*db, raster);
  tx.commit();
}

bool PostgisStore::replace_grid(const RasterLayer& raster, std::string_view based_on) {
  auto db = databases_->primary().acquire();
  Transaction tx(*db);
  // FOR UPDATE: a second replacement on another node waits here for the first's commit, then sees its path.
  const Result now = db->exec("SELECT path FROM amis_rasters WHERE id = $1 FOR UPDATE", Params().text(raster.id));
  if (now.rows() == 0) return false;
  if (std::filesystem::path(std::string(now.text(0, 0))).filename().string() != based_on) return false;
  db->exec(
      "UPDATE amis_rasters SET path = $2, min_value = $3, max_value = $4, min_x = $5, min_y = $6, max_x = $7, "
      "max_y = $8 WHERE id = $1",
      Params()
          .text(raster.id).text(raster.path).real(raster.min).real(raster.max).real(raster.extent.min_x)
          .real(raster.extent.min_y).real(raster.extent.max_x).real(raster.extent.max_y));
  write_bands(*db, raster);
  tx.commit();
  return true;
}

}  // namespace amis::store::postgis

namespace amis::store::postgis {

std::vector<AggregateGroup> PostgisStore::aggregate(const core::Collection& collection, const core::FeatureQuery& query,
                                                    const Aggregate& aggregate, bool& truncated) {
  SqlWhere where = where_clause(collection, core::unpaged(query));
  const std::string sql = aggregate_sql(collection, aggregate, feature_table(collection.id), where.sql, true);
  where.bindings.emplace_back(aggregate.max_groups + 1);
  Params params;
  const std::string statement = numbered(sql, where.bindings, params);
  spdlog::debug("aggregate SQL: {}", statement);
  auto db = databases_->read();
  const Result r = db->exec(statement, params);
  const int keys = static_cast<int>(aggregate.group_by.size());
  std::vector<AggregateGroup> groups;
  for (int row = 0; row < r.rows(); ++row) {
    AggregateGroup g;
    for (int i = 0; i < keys; ++i)
      g.keys.push_back(r.is_null(row, i) ? std::nullopt : std::optional<std::string>(std::string(r.text(row, i))));
    g.count = r.integer(row, keys);
    for (int i = 0; i < static_cast<int>(aggregate.sums.size()); ++i)
      g.sums.push_back(r.is_null(row, keys + 1 + i) ? std::nullopt
                                                    : std::optional<double>(r.real(row, keys + 1 + i)));
    groups.push_back(std::move(g));
  }
  finish_groups(groups, aggregate, truncated);
  return groups;
}

}  // namespace amis::store::postgis
