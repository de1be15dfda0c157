#include "store/postgis/pg_dump.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "store/postgis/pg_schema.hpp"

namespace amis::store::postgis {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;  // COPY data sent in 1 MB pieces

std::string column_list(const DumpTable& table) {
  std::string out;
  for (const auto& c : table.columns) out += (out.empty() ? "" : ", ") + quote_identifier(c.name);
  return out;
}

Cell read_cell(const Result& r, int i) {
  Cell cell;
  if (r.is_null(0, i)) return cell;
  switch (r.type(i)) {
    case oid::kInt2:
    case oid::kInt4:
    case oid::kInt8: cell.kind = Cell::Kind::Integer; cell.integer = r.integer(0, i); break;
    case oid::kBool: cell.kind = Cell::Kind::Integer; cell.integer = r.boolean(0, i) ? 1 : 0; break;
    case oid::kFloat4:
    case oid::kFloat8: cell.kind = Cell::Kind::Real; cell.real = r.real(0, i); break;
    case oid::kBytea: {
      const auto b = r.bytes(0, i);
      cell.kind = Cell::Kind::Bytes;
      cell.bytes = {reinterpret_cast<const char*>(b.data()), b.size()};
      break;
    }
    default: cell.kind = Cell::Kind::Text; cell.bytes = r.text(0, i); break;
  }
  return cell;
}

// COPY's text format: backslash escapes for the characters it gives meaning to.
void put_text(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
}

void put_real(std::string& out, double v) {
  if (std::isnan(v)) { out += "NaN"; return; }
  if (std::isinf(v)) { out += v > 0 ? "Infinity" : "-Infinity"; return; }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);  // shortest text that reads back the same
  out.append(buffer, end);
}

void put_cell(std::string& out, const Cell& cell, ColumnType type) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (cell.kind) {
    case Cell::Kind::Null: out += "\\N"; return;
    case Cell::Kind::Integer:
      if (type == ColumnType::Boolean) out += cell.integer != 0 ? 't' : 'f';
      else out += std::to_string(cell.integer);
      return;
    case Cell::Kind::Real: return put_real(out, cell.real);
    case Cell::Kind::Text:
    case Cell::Kind::Bytes:
      if (type != ColumnType::Bytes) return put_text(out, cell.bytes);
      out += "\\\\x";  // bytea's hex input, its backslash escaped for COPY
      for (unsigned char c : cell.bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      return;
  }
}

class PgTableLoader final : public TableLoader {
 public:
  PgTableLoader(Pool& pool, const DumpTable& table) : lease_(pool.acquire()), table_(table) {
    lease_->exec("SET statement_timeout = 0");
    tx_ = std::make_unique<Transaction>(*lease_);
    lease_->copy_start("COPY " + quote_identifier(table.name) + " (" + column_list(table) + ") FROM STDIN");
    copying_ = true;
  }
  ~PgTableLoader() override {
    if (copying_ && PQputCopyEnd(lease_->handle(), "the copy was abandoned") == 1)
      while (PGresult* r = PQgetResult(lease_->handle())) PQclear(r);
    tx_.reset();  // rolls back unless committed
  }

  void row(std::span<const Cell> cells) override {
    for (std::size_t i = 0; i < cells.size() && i < table_.columns.size(); ++i) {
      if (i) buffer_ += '\t';
      put_cell(buffer_, cells[i], table_.columns[i].type);
    }
    buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) flush();
  }
  void commit() override {
    flush();
    copying_ = false;
    lease_->copy_end();
    tx_->commit();
  }

 private:
  void flush() {
    if (buffer_.empty()) return;
    lease_->copy_put({reinterpret_cast<const std::uint8_t*>(buffer_.data()), buffer_.size()});
    buffer_.clear();
  }
  Pool::Lease lease_;
  const DumpTable& table_;
  std::unique_ptr<Transaction> tx_;
  bool copying_ = false;
  std::string buffer_;
};

std::optional<std::string> bound_text(const std::optional<core::TimeInterval>& t, bool start) {
  if (!t) return std::nullopt;
  return start ? t->start : t->end;
}

}  // namespace

void PgDump::read(const DumpTable& table, RowSink& sink) {
  auto c = pool_.acquire();
  c->exec("SET statement_timeout = 0");
  c->send_streaming("SELECT " + column_list(table) + " FROM " + quote_identifier(table.name) + " ORDER BY " +
                        table.order_by,
                    Params(), Format::Binary);
  std::vector<Cell> cells(table.columns.size());
  try {
    while (auto row = c->next_row()) {
      for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = read_cell(*row, static_cast<int>(i));
      sink.row(cells);
    }
  } catch (...) {
    c->abandon_streaming();
    throw;
  }
}

std::unique_ptr<TableLoader> PgDump::load(const DumpTable& table) {
  return std::make_unique<PgTableLoader>(pool_, table);
}

std::int64_t PgDump::sequence(const std::string& table, const std::string& column) {
  auto c = pool_.acquire();
  const auto r = c->exec("SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass), 0)",
                         Params().text(table).text(column));
  return r.integer(0, 0);
}

void PgDump::set_sequence(const std::string& table, const std::string& column, std::int64_t id) {
  auto c = pool_.acquire();
  // A sequence starts at 1: "nothing handed out yet" is 1, not yet called.
  c->exec("SELECT setval(pg_get_serial_sequence($1, $2), greatest($3::bigint, 1), $3::bigint > 0)",
          Params().text(table).text(column).integer(id));
}

std::int64_t PgDump::last_id(const DumpTable& table) { return sequence(table.name, table.id_column); }
void PgDump::set_last_id(const DumpTable& table, std::int64_t id) { set_sequence(table.name, table.id_column, id); }
std::int64_t PgDump::last_feature_id(const core::Collection& c) { return sequence(feature_table(c.id), "fid"); }
void PgDump::set_last_feature_id(const core::Collection& c, std::int64_t id) {
  set_sequence(feature_table(c.id), "fid", id);
}

void PgDump::restore_collection(const core::Collection& c) {
  Params p;
  p.integer(c.feature_count).text(c.updated);
  for (bool start : {true, false}) {
    if (auto t = bound_text(c.temporal_extent, start)) p.text(*t);
    else p.null(oid::kText);
  }
  if (c.extent) p.real(c.extent->min_x).real(c.extent->min_y).real(c.extent->max_x).real(c.extent->max_y);
  else for (int i = 0; i < 4; ++i) p.null(oid::kFloat8);
  p.text(c.id);
  auto db = pool_.acquire();
  db->exec("UPDATE amis_collections SET feature_count = $1, updated = $2, temporal_start = $3, temporal_end = $4, "
           "min_x = $5, min_y = $6, max_x = $7, max_y = $8 WHERE id = $9",
           p);
}

std::vector<std::vector<std::string>> PgDump::attribute_indexes(const core::Collection& c) {
  auto db = pool_.acquire();
  // Not the key and not the GiST index, which the writer made under its loading name.
  const auto r = db->exec(
      "SELECT i.relname, a.attname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
      "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY k(attnum, ord) "
      "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum "
      "WHERE x.indrelid = $1::regclass AND NOT x.indisprimary AND i.relname LIKE 'amis\\_%' "
      "AND i.relname NOT LIKE 'amis\\_load\\_%' ORDER BY i.relname, k.ord",
      Params().text(feature_table(c.id)));
  std::vector<std::vector<std::string>> out;
  std::string current;
  for (int row = 0; row < r.rows(); ++row) {
    if (out.empty() || r.text(row, 0) != current) {
      current = r.text(row, 0);
      out.emplace_back();
    }
    out.back().emplace_back(r.text(row, 1));
  }
  return out;
}

bool PgDump::empty() {
  auto db = pool_.acquire();
  const auto r = db->exec(
      "SELECT NOT (EXISTS (SELECT 1 FROM amis_collections) OR EXISTS (SELECT 1 FROM amis_rasters) OR "
      "EXISTS (SELECT 1 FROM amis_users) OR EXISTS (SELECT 1 FROM amis_change_sets) OR "
      "EXISTS (SELECT 1 FROM amis_audit) OR EXISTS (SELECT 1 FROM amis_records))");
  return r.text(0, 0) == "t";
}

}  // namespace amis::store::postgis
