#include "store/gpkg/gpkg_dump.hpp"

#include <vector>

namespace amis::store::gpkg {
namespace {

using sqlite::quote_identifier;

std::string column_list(const DumpTable& table) {
  std::string out;
  for (const auto& c : table.columns) out += (out.empty() ? "" : ", ") + quote_identifier(c.name);
  return out;
}

Cell read_cell(const sqlite::Statement& s, int i) {
  Cell cell;
  switch (s.column_type(i)) {
    case SQLITE_NULL: break;
    case SQLITE_INTEGER: cell.kind = Cell::Kind::Integer; cell.integer = s.column_int(i); break;
    case SQLITE_FLOAT: cell.kind = Cell::Kind::Real; cell.real = s.column_double(i); break;
    case SQLITE_BLOB: {
      const auto blob = s.column_blob(i);
      cell.kind = Cell::Kind::Bytes;
      cell.bytes = {reinterpret_cast<const char*>(blob.data()), blob.size()};
      break;
    }
    default: cell.kind = Cell::Kind::Text; cell.bytes = s.column_text(i); break;
  }
  return cell;
}

void bind_cell(sqlite::Statement& s, int index, const Cell& cell, ColumnType type) {
  switch (cell.kind) {
    case Cell::Kind::Null: return s.bind_null(index);
    case Cell::Kind::Integer: return s.bind(index, cell.integer);
    case Cell::Kind::Real: return s.bind(index, cell.real);
    case Cell::Kind::Text:
    case Cell::Kind::Bytes:
      if (type == ColumnType::Bytes)
        return s.bind_blob(index, {reinterpret_cast<const std::uint8_t*>(cell.bytes.data()), cell.bytes.size()});
      return s.bind(index, cell.bytes);
  }
}

class GpkgTableLoader final : public TableLoader {
 public:
  GpkgTableLoader(sqlite::Database& db, const DumpTable& table) : table_(table), tx_(db) {
    std::string params;
    for (std::size_t i = 0; i < table.columns.size(); ++i) params += i ? ", ?" : "?";
    insert_ = std::make_unique<sqlite::Statement>(
        db.handle(), "INSERT INTO " + quote_identifier(table.name) + " (" + column_list(table) + ") VALUES (" +
                         params + ")");
  }
  ~GpkgTableLoader() override { insert_.reset(); }  // before the transaction rolls back

  void row(std::span<const Cell> cells) override {
    insert_->reset();
    for (std::size_t i = 0; i < cells.size() && i < table_.columns.size(); ++i)
      bind_cell(*insert_, static_cast<int>(i) + 1, cells[i], table_.columns[i].type);
    insert_->run();
  }
  void commit() override {
    insert_.reset();
    tx_.commit();
  }

 private:
  const DumpTable& table_;
  sqlite::Transaction tx_;
  std::unique_ptr<sqlite::Statement> insert_;
};

}  // namespace

GpkgDump::GpkgDump(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite)) {}

void GpkgDump::read(const DumpTable& table, RowSink& sink) {
  sqlite::Statement s(db_->handle(), "SELECT " + column_list(table) + " FROM " + quote_identifier(table.name) +
                                         " ORDER BY " + table.order_by);
  std::vector<Cell> cells(table.columns.size());
  while (s.step()) {
    for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = read_cell(s, static_cast<int>(i));
    sink.row(cells);
  }
}

std::unique_ptr<TableLoader> GpkgDump::load(const DumpTable& table) {
  return std::make_unique<GpkgTableLoader>(*db_, table);
}

std::int64_t GpkgDump::sequence(const std::string& table) {
  auto s = db_->cached("SELECT seq FROM sqlite_sequence WHERE name = ?");
  s->bind(1, std::string_view(table));
  return s->step() ? s->column_int(0) : 0;
}

void GpkgDump::set_sequence(const std::string& table, std::int64_t id) {
  // sqlite_sequence has no key: a row per AUTOINCREMENT table, made at its first insert.
  auto update = db_->cached("UPDATE sqlite_sequence SET seq = ? WHERE name = ?");
  update->bind(1, id);
  update->bind(2, std::string_view(table));
  update->run();
  if (sqlite3_changes(db_->handle()) > 0 || id == 0) return;
  auto insert = db_->cached("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)");
  insert->bind(1, std::string_view(table));
  insert->bind(2, id);
  insert->run();
}

std::int64_t GpkgDump::last_id(const DumpTable& table) { return sequence(table.name); }
void GpkgDump::set_last_id(const DumpTable& table, std::int64_t id) { set_sequence(table.name, id); }
std::int64_t GpkgDump::last_feature_id(const core::Collection& c) { return sequence(c.id); }
void GpkgDump::set_last_feature_id(const core::Collection& c, std::int64_t id) { set_sequence(c.id, id); }

void GpkgDump::restore_collection(const core::Collection& c) {
  sqlite::Transaction tx(*db_);
  auto amis = db_->cached(
      "UPDATE amis_collections SET feature_count = ?, updated = ?, temporal_start = ?, temporal_end = ? "
      "WHERE id = ?");
  amis->bind(1, c.feature_count);
  amis->bind(2, std::string_view(c.updated));
  const auto* start = c.temporal_extent && c.temporal_extent->start ? &*c.temporal_extent->start : nullptr;
  const auto* end = c.temporal_extent && c.temporal_extent->end ? &*c.temporal_extent->end : nullptr;
  if (start) amis->bind(3, std::string_view(*start)); else amis->bind_null(3);
  if (end) amis->bind(4, std::string_view(*end)); else amis->bind_null(4);
  amis->bind(5, std::string_view(c.id));
  amis->run();
  auto contents = db_->cached(
      "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, last_change = ? WHERE table_name = ?");
  if (c.extent) {
    contents->bind(1, c.extent->min_x);
    contents->bind(2, c.extent->min_y);
    contents->bind(3, c.extent->max_x);
    contents->bind(4, c.extent->max_y);
  } else {
    for (int i = 1; i <= 4; ++i) contents->bind_null(i);
  }
  contents->bind(5, std::string_view(c.updated));
  contents->bind(6, std::string_view(c.id));
  contents->run();
  auto ogr = db_->cached("INSERT OR REPLACE INTO gpkg_ogr_contents VALUES (?, ?)");
  ogr->bind(1, std::string_view(c.id));
  ogr->bind(2, c.feature_count);
  ogr->run();
  tx.commit();
}

std::vector<std::vector<std::string>> GpkgDump::attribute_indexes(const core::Collection& c) {
  std::vector<std::string> names;
  {
    auto s = db_->cached(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE 'amis\\_%' ESCAPE '\\' "
        "ORDER BY name");
    s->bind(1, std::string_view(c.id));
    while (s->step()) names.emplace_back(s->column_text(0));
  }
  std::vector<std::vector<std::string>> out;
  for (const auto& name : names) {
    sqlite::Statement info(db_->handle(), "SELECT name FROM pragma_index_info(?) ORDER BY seqno");
    info.bind(1, std::string_view(name));
    std::vector<std::string> columns;
    while (info.step()) columns.emplace_back(info.column_text(0));
    if (!columns.empty()) out.push_back(std::move(columns));
  }
  return out;
}

bool GpkgDump::empty() {
  auto s = db_->cached(
      "SELECT NOT (EXISTS (SELECT 1 FROM amis_collections) OR EXISTS (SELECT 1 FROM amis_rasters) OR "
      "EXISTS (SELECT 1 FROM amis_users) OR EXISTS (SELECT 1 FROM amis_change_sets) OR "
      "EXISTS (SELECT 1 FROM amis_audit) OR EXISTS (SELECT 1 FROM amis_records))");
  s->step();
  return s->column_int(0) != 0;
}

}  // namespace amis::store::gpkg
