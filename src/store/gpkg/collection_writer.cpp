#include "store/gpkg/collection_writer.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/wkb.hpp"
#include "store/collection_id.hpp"
#include "store/gpkg/gpkg_binary.hpp"
#include "store/gpkg/gpkg_schema.hpp"
#include "store/gpkg/rtree_bulk.hpp"

namespace amis::store::gpkg {

GpkgCollectionWriter::GpkgCollectionWriter(std::unique_ptr<sqlite::Database> db,
                                           core::Collection metadata)
    : db_(std::move(db)), metadata_(std::move(metadata)) {
  if (!valid_collection_id(metadata_.id))
    throw core::InvalidParameter("collection", "'" + metadata_.id +
                                                   "' is not a valid id (a letter, then up to 63 "
                                                   "letters, digits, '_' or '-')");
  if (metadata_.title.empty()) metadata_.title = metadata_.id;
  // The whole new table stays dirty until commit: with SQLite's default 2 MB
  // cache the import spilled pages into the WAL and read them back (a tenth
  // of a 200,000-point import). This connection is the writer's alone.
  db_->exec("PRAGMA cache_size = -131072");
  tx_ = std::make_unique<sqlite::Transaction>(*db_);
  drop_feature_table(*db_, metadata_.id);
  create_feature_table(*db_, metadata_);

  std::string sql = "INSERT INTO " + sqlite::quote_identifier(metadata_.id) + " (geom";
  std::string params = "?";
  for (size_t i = 0; i < metadata_.properties.size(); ++i) {
    sql += ", " + sqlite::quote_identifier(metadata_.properties[i].name);
    params += ", ?";
    if (metadata_.temporal_property && metadata_.properties[i].name == *metadata_.temporal_property)
      temporal_index_ = static_cast<int>(i);
  }
  insert_ = std::make_unique<sqlite::Statement>(db_->handle(), sql + ") VALUES (" + params + ")");
  insert_with_id_ = std::make_unique<sqlite::Statement>(
      db_->handle(), "INSERT INTO " + sqlite::quote_identifier(metadata_.id) + " (fid, " + sql.substr(sql.find("(") + 1) +
                         ") VALUES (?, " + params + ")");
}

GpkgCollectionWriter::~GpkgCollectionWriter() {
  insert_.reset();
  insert_with_id_.reset();
  tx_.reset();  // rolls back unless committed
}

void GpkgCollectionWriter::add(std::span<const std::uint8_t> wkb,
                               std::span<const core::Value> values) {
  insert_->reset();
  insert(*insert_, 1, wkb, values);
}

void GpkgCollectionWriter::add_with_id(std::int64_t id, std::span<const std::uint8_t> wkb,
                                       std::span<const core::Value> values) {
  insert_with_id_->reset();
  insert_with_id_->bind(1, id);
  insert(*insert_with_id_, 2, wkb, values);
}

// Binds the geometry at `first` and the values after it, and runs the insert.
void GpkgCollectionWriter::insert(sqlite::Statement& insert, int first, std::span<const std::uint8_t> wkb,
                                  std::span<const core::Value> values) {
  core::Envelope envelope;
  if (wkb.empty()) {
    insert.bind_null(first);
  } else {
    geometry_.clear();
    append_gpkg_geometry(wkb, kCrs84SrsId, geometry_);
    insert.bind_blob(first, geometry_);
    envelope = core::wkb_envelope(wkb);
    extent_.expand(envelope);
  }
  for (size_t i = 0; i < values.size() && i < metadata_.properties.size(); ++i) {
    const int index = static_cast<int>(i) + first + 1;
    const auto& v = values[i];
    switch (v.kind) {
      case core::Value::Kind::Null: insert.bind_null(index); break;
      case core::Value::Kind::Integer: insert.bind(index, v.integer); break;
      case core::Value::Kind::Real: insert.bind(index, v.real); break;
      case core::Value::Kind::Text: insert.bind(index, v.text); break;
    }
  }
  if (temporal_index_ >= 0 && static_cast<size_t>(temporal_index_) < values.size())
    record_time(values[static_cast<size_t>(temporal_index_)]);
  insert.run();
  if (!envelope.empty()) boxes_.push_back(rtree_entry(sqlite3_last_insert_rowid(db_->handle()), envelope));
  ++count_;
}

void GpkgCollectionWriter::record_time(const core::Value& value) {
  if (value.kind != core::Value::Kind::Text) return;
  const std::string t(value.text);
  if (!time_min_ || t < *time_min_) time_min_ = t;
  if (!time_max_ || t > *time_max_) time_max_ = t;
}

void GpkgCollectionWriter::write_metadata() {
  auto contents = db_->cached(
      "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
      "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?");
  if (extent_.empty()) {
    for (int i = 1; i <= 4; ++i) contents->bind_null(i);
  } else {
    contents->bind(1, extent_.min_x);
    contents->bind(2, extent_.min_y);
    contents->bind(3, extent_.max_x);
    contents->bind(4, extent_.max_y);
  }
  contents->bind(5, std::string_view(metadata_.id));
  contents->run();

  auto ogr = db_->cached("INSERT OR REPLACE INTO gpkg_ogr_contents VALUES (?, ?)");
  ogr->bind(1, std::string_view(metadata_.id));
  ogr->bind(2, count_);
  ogr->run();

  auto amis = db_->cached(
      "INSERT INTO amis_collections (id, table_name, title, description, keywords, licence, "
      "attribution, temporal_property, temporal_start, temporal_end, feature_count, updated) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
  amis->bind(1, std::string_view(metadata_.id));
  amis->bind(2, std::string_view(metadata_.id));
  amis->bind(3, std::string_view(metadata_.title));
  amis->bind(4, std::string_view(metadata_.description));
  amis->bind(5, std::string_view(nlohmann::json(metadata_.keywords).dump()));
  amis->bind(6, std::string_view(metadata_.licence));
  amis->bind(7, std::string_view(metadata_.attribution));
  if (metadata_.temporal_property) amis->bind(8, std::string_view(*metadata_.temporal_property));
  if (time_min_) amis->bind(9, std::string_view(*time_min_));
  if (time_max_) amis->bind(10, std::string_view(*time_max_));
  amis->bind(11, count_);
  amis->run();
}

void GpkgCollectionWriter::commit() {
  insert_.reset();
  insert_with_id_.reset();
  bulk_load_rtree(*db_, rtree_name(metadata_.id), std::move(boxes_));
  install_spatial_index_triggers(*db_, metadata_.id);
  write_metadata();
  tx_->commit();
}

}  // namespace amis::store::gpkg
