#include "store/postgis/pg_collection_writer.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <random>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/wkb.hpp"
#include "store/collection_id.hpp"
#include "store/filter_compiler.hpp"
#include "store/postgis/pg_load_tables.hpp"
#include "store/postgis/pg_schema.hpp"

namespace amis::store::postgis {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;  // COPY data sent in 1 MB pieces
constexpr std::uint32_t kEwkbSrid = 0x20000000;

void put_u16(std::vector<std::uint8_t>& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put_u32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
void put_u64(std::vector<std::uint8_t>& b, std::uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
void put_bytes(std::vector<std::uint8_t>& b, std::string_view text) {
  put_u32(b, static_cast<std::uint32_t>(text.size()));
  b.insert(b.end(), text.begin(), text.end());
}

// ISO WKB as EWKB with SRID 4326 on the outer geometry: what PostGIS's binary
// input (geometry_recv) reads, so the column's SRID constraint holds.
void put_geometry(std::vector<std::uint8_t>& b, std::span<const std::uint8_t> wkb) {
  put_u32(b, static_cast<std::uint32_t>(wkb.size() + 4));
  const bool little = wkb[0] == 1;
  std::uint32_t type;
  std::memcpy(&type, wkb.data() + 1, 4);
  if (little != (std::endian::native == std::endian::little)) type = __builtin_bswap32(type);
  type |= kEwkbSrid;
  std::uint32_t srid = 4326;
  if (little != (std::endian::native == std::endian::little)) {
    type = __builtin_bswap32(type);
    srid = __builtin_bswap32(srid);
  }
  b.push_back(wkb[0]);
  const auto* t = reinterpret_cast<const std::uint8_t*>(&type);
  b.insert(b.end(), t, t + 4);
  const auto* s = reinterpret_cast<const std::uint8_t*>(&srid);
  b.insert(b.end(), s, s + 4);
  b.insert(b.end(), wkb.begin() + 5, wkb.end());
}

std::optional<std::int64_t> as_integer(const core::Value& v) {
  if (v.kind == core::Value::Kind::Integer) return v.integer;
  if (v.kind == core::Value::Kind::Real) return static_cast<std::int64_t>(v.real);
  if (v.kind == core::Value::Kind::Text) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
    if (ec == std::errc{} && end == v.text.data() + v.text.size()) return n;
  }
  return std::nullopt;
}

std::optional<double> as_real(const core::Value& v) {
  if (v.kind == core::Value::Kind::Real) return v.real;
  if (v.kind == core::Value::Kind::Integer) return static_cast<double>(v.integer);
  if (v.kind == core::Value::Kind::Text) {
    double d = 0;
    auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), d);
    if (ec == std::errc{} && end == v.text.data() + v.text.size()) return d;
  }
  return std::nullopt;
}

const char* column_type(core::PropertyType type) {
  switch (type) {
    case core::PropertyType::Integer: return "bigint";
    case core::PropertyType::Real: return "double precision";
    case core::PropertyType::Boolean: return "boolean";
    case core::PropertyType::Date:
    case core::PropertyType::DateTime:
    case core::PropertyType::Text: return "text COLLATE \"C\"";
  }
  return "text";
}

// "<collection><suffix>" within PostgreSQL's 63 bytes (the id cut, the suffix kept).
std::string index_name(const std::string& collection, std::string_view suffix) {
  return collection.substr(0, 63 - suffix.size()) + std::string(suffix);
}

std::string random_suffix() {
  std::random_device device;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%08x%08x", device(), device());
  return buffer;
}

}  // namespace

PgCollectionWriter::PgCollectionWriter(Pool& pool, core::Collection metadata, CategoryCache& categories)
    : categories_(categories), metadata_(std::move(metadata)) {
  if (!valid_collection_id(metadata_.id) || metadata_.id.size() > 63)
    throw core::InvalidParameter("collection", "'" + metadata_.id +
                                                   "' is not a valid id (a letter, then up to 62 "
                                                   "letters, digits, '_' or '-')");
  if (metadata_.title.empty()) metadata_.title = metadata_.id;
  loaders_.push_back(pool.acquire());
  if (auto second = pool.try_acquire()) loaders_.push_back(std::move(*second));
  loading_ = "amis_load_" + random_suffix();
  // What imports that died left behind goes first; this one's table is ours from
  // before it exists (pg_load_tables.hpp).
  drop_abandoned_load_tables(*loaders_[0]);
  hold_load_table(*loaders_[0], loading_);
  std::string ddl = "CREATE TABLE " + loading_table() +
                    // Any type and dimension, 2D and 3D side by side as a GeoPackage's
                    // GEOMETRY column holds them (geometry(Geometry, 4326) refuses a Z);
                    // the SRID by a check, which PostGIS's geometry_columns still reports.
                    " (fid bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL, "
                    "geom geometry CHECK (ST_SRID(geom) = 4326)";
  for (std::size_t i = 0; i < metadata_.properties.size(); ++i) {
    const auto& p = metadata_.properties[i];
    ddl += ", " + quote_identifier(p.name) + " " + column_type(p.type);
    if (metadata_.temporal_property && p.name == *metadata_.temporal_property) temporal_index_ = static_cast<int>(i);
  }
  loaders_[0]->exec(ddl + ")");  // committed at once: the other loader must see it
  static const std::uint8_t kHeader[] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
  copying_ = true;
  for (auto& loader : loaders_) {
    loader->exec("SET statement_timeout = 0");  // an import takes as long as it takes
    loader->copy_start("COPY " + loading_table() + " FROM STDIN (FORMAT binary)");
    loader->copy_put(kHeader);  // signature, flags 0, header extension 0
  }
}

PgCollectionWriter::~PgCollectionWriter() {
  if (committed_) return;
  try {
    // Abandoned: end each COPY with an error (its rows are discarded), then drop the table.
    for (auto& loader : loaders_) {
      if (copying_ && PQputCopyEnd(loader->handle(), "the import was abandoned") == 1)
        while (PGresult* r = PQgetResult(loader->handle())) PQclear(r);
    }
    if (!loaders_.empty()) {
      loaders_[0]->exec("DROP TABLE IF EXISTS " + loading_table());
      release_load_table(*loaders_[0], loading_);
    }
  } catch (const std::exception& e) {
    spdlog::warn("PostgreSQL: an abandoned import left table {}: {}", loading_, e.what());
  }
}

std::string PgCollectionWriter::loading_table() const {
  return std::string(kFeatureSchema) + "." + quote_identifier(loading_);
}

void PgCollectionWriter::write_field(const core::Value& v, core::PropertyType type) {
  if (v.kind == core::Value::Kind::Null) return put_u32(buffer_, 0xffffffffu);
  switch (type) {
    case core::PropertyType::Integer:
      if (auto n = as_integer(v)) {
        put_u32(buffer_, 8);
        return put_u64(buffer_, static_cast<std::uint64_t>(*n));
      }
      return put_u32(buffer_, 0xffffffffu);
    case core::PropertyType::Real:
      if (auto d = as_real(v)) {
        put_u32(buffer_, 8);
        return put_u64(buffer_, std::bit_cast<std::uint64_t>(*d));
      }
      return put_u32(buffer_, 0xffffffffu);
    case core::PropertyType::Boolean: {
      std::optional<bool> b;
      if (auto n = as_integer(v)) b = *n != 0;
      else if (v.text == "true") b = true;
      else if (v.text == "false") b = false;
      if (!b) return put_u32(buffer_, 0xffffffffu);
      put_u32(buffer_, 1);
      buffer_.push_back(*b ? 1 : 0);
      return;
    }
    case core::PropertyType::Date:
    case core::PropertyType::DateTime:
    case core::PropertyType::Text:
      if (v.kind == core::Value::Kind::Text) return put_bytes(buffer_, v.text);
      if (v.kind == core::Value::Kind::Integer) return put_bytes(buffer_, std::to_string(v.integer));
      return put_bytes(buffer_, real_as_text(v.real));
  }
}

void PgCollectionWriter::add(std::span<const std::uint8_t> wkb, std::span<const core::Value> values) {
  add_with_id(last_id_ + 1, wkb, values);  // fids 1, 2, … as in a new GeoPackage table
}

void PgCollectionWriter::add_with_id(std::int64_t id, std::span<const std::uint8_t> wkb,
                                     std::span<const core::Value> values) {
  put_u16(buffer_, static_cast<std::uint16_t>(2 + metadata_.properties.size()));
  put_u32(buffer_, 8);
  put_u64(buffer_, static_cast<std::uint64_t>(id));
  ++count_;
  last_id_ = std::max(last_id_, id);
  if (wkb.size() < 5) {
    put_u32(buffer_, 0xffffffffu);
  } else {
    put_geometry(buffer_, wkb);
    extent_.expand(core::wkb_envelope(wkb));
  }
  for (std::size_t i = 0; i < metadata_.properties.size(); ++i) {
    const auto& property = metadata_.properties[i];
    const core::Value& value = i < values.size() ? values[i] : core::Value{};
    write_field(value, property.type);
    if (property.type == core::PropertyType::Text && value.kind == core::Value::Kind::Text)
      text_values_[property.name].add(value.text);
  }
  if (temporal_index_ >= 0 && static_cast<std::size_t>(temporal_index_) < values.size())
    record_time(values[static_cast<std::size_t>(temporal_index_)]);
  if (buffer_.size() >= kFlushBytes) flush();
}

void PgCollectionWriter::flush() {
  if (buffer_.empty()) return;
  loaders_[next_loader_]->copy_put(buffer_);
  next_loader_ = (next_loader_ + 1) % loaders_.size();
  buffer_.clear();
}

void PgCollectionWriter::record_time(const core::Value& value) {
  if (value.kind != core::Value::Kind::Text) return;
  const std::string t(value.text);
  if (!time_min_ || t < *time_min_) time_min_ = t;
  if (!time_max_ || t > *time_max_) time_max_ = t;
}

void PgCollectionWriter::commit() {
  flush();
  static const std::uint8_t kTrailer[] = {0xff, 0xff};
  for (auto& loader : loaders_) {
    loader->copy_put(kTrailer);
    loader->copy_end();  // each COPY commits on its own; the table is still unknown to readers
  }
  copying_ = false;
  const std::string loading = loading_table();
  const std::string table = feature_table(metadata_.id);
  // The two indexes side by side (CREATE INDEX takes a lock that another CREATE
  // INDEX shares; ADD PRIMARY KEY would wait), the key then adopted at no cost.
  const std::string key = quote_identifier(loading_ + "_pkey");
  const std::string key_index = "CREATE UNIQUE INDEX " + key + " ON " + loading + " (fid)";
  const std::string gist = quote_identifier(loading_ + "_geom_idx");
  const std::string gist_index = "CREATE INDEX " + gist + " ON " + loading + " USING gist (geom)";
  if (loaders_.size() > 1) {
    loaders_[0]->send(gist_index);
    loaders_[1]->send(key_index);
    loaders_[1]->finish();
    loaders_[0]->finish();
  } else {
    loaders_[0]->exec(gist_index);
    loaders_[0]->exec(key_index);
  }
  Connection& db = *loaders_[0];
  Transaction tx(db);
  db.exec("ALTER TABLE " + loading + " ADD PRIMARY KEY USING INDEX " + key);
  if (last_id_ > 0)
    db.exec("SELECT setval(pg_get_serial_sequence($1, 'fid'), $2)", Params().text(loading, oid::kText).integer(last_id_));
  // The swap: readers of the old table hold it until their statement ends.
  db.exec("DROP TABLE IF EXISTS " + table);
  db.exec("ALTER TABLE " + loading + " RENAME TO " + quote_identifier(metadata_.id));
  // The indexes under the collection's name rather than the loading one ("sites:pkey",
  // "sites:geom"): ':' is in no collection id, so no feature table can ever want the
  // name, and none starts with amis_ as the attribute indexes do (attribute_indexes.hpp).
  const std::string schema = std::string(kFeatureSchema) + ".";
  db.exec("ALTER INDEX " + schema + key + " RENAME TO " + quote_identifier(index_name(metadata_.id, ":pkey")));
  db.exec("ALTER INDEX " + schema + gist + " RENAME TO " + quote_identifier(index_name(metadata_.id, ":geom")));
  // A re-imported collection starts a new history, as in the GeoPackage (drop_feature_table).
  db.exec("DELETE FROM amis_feature_versions WHERE collection = $1", Params().text(metadata_.id));
  Params p;
  p.text(metadata_.id).text(metadata_.title).text(metadata_.description)
      .text(nlohmann::json(metadata_.keywords).dump()).text(metadata_.licence).text(metadata_.attribution);
  if (metadata_.temporal_property) p.text(*metadata_.temporal_property); else p.null();
  if (time_min_) p.text(*time_min_); else p.null();
  if (time_max_) p.text(*time_max_); else p.null();
  p.integer(count_).text(metadata_.geometry_type);
  nlohmann::json properties = nlohmann::json::array();
  for (const auto& prop : metadata_.properties)
    properties.push_back({{"name", prop.name}, {"type", core::to_string(prop.type)}});
  p.text(properties.dump());
  if (extent_.empty()) {
    for (int i = 0; i < 4; ++i) p.null(oid::kFloat8);
  } else {
    p.real(extent_.min_x).real(extent_.min_y).real(extent_.max_x).real(extent_.max_y);
  }
  const Result inserted = db.exec(
      "INSERT INTO amis_collections (id, table_name, title, description, keywords, licence, attribution, "
      "temporal_property, temporal_start, temporal_end, feature_count, geometry_type, properties, "
      "min_x, min_y, max_x, max_y, updated) "
      "VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, "
      "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')) "
      "ON CONFLICT (id) DO UPDATE SET table_name = EXCLUDED.table_name, title = EXCLUDED.title, "
      "description = EXCLUDED.description, keywords = EXCLUDED.keywords, licence = EXCLUDED.licence, "
      "attribution = EXCLUDED.attribution, temporal_property = EXCLUDED.temporal_property, "
      "temporal_start = EXCLUDED.temporal_start, temporal_end = EXCLUDED.temporal_end, "
      "feature_count = EXCLUDED.feature_count, geometry_type = EXCLUDED.geometry_type, "
      "properties = EXCLUDED.properties, min_x = EXCLUDED.min_x, min_y = EXCLUDED.min_y, "
      "max_x = EXCLUDED.max_x, max_y = EXCLUDED.max_y, updated = EXCLUDED.updated RETURNING updated",
      p);
  const std::string updated(inserted.text(0, 0));
  tx.commit();
  committed_ = true;
  release_load_table(db, loading_);
  for (const auto& property : metadata_.properties)  // a text property without a value has none
    if (property.type == core::PropertyType::Text) text_values_[property.name];
  categories_.put(metadata_.id, updated, std::move(text_values_));
  // No ANALYZE here (0.4 s of a 200,000-point import): CREATE INDEX has set the
  // table's size for the planner, and autovacuum analyzes a table that many rows
  // were written to within its naptime.
}

}  // namespace amis::store::postgis
