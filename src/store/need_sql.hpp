#pragma once
// The SQL of the needs register that both backends share (gpkg/gpkg_needs.cpp,
// postgis/pg_needs.cpp): the tables, the SELECT of a need and the WHERE of a
// filter. Placeholders are the dialect's (SQLite "?n", PostgreSQL "$n"); every
// value is bound, and the only identifiers spliced are this file's own.
#include <functional>
#include <string>
#include <vector>

#include "core/need.hpp"

namespace amis::store::need_sql {

// The DDL of amis_needs and amis_need_notes in the dialect's types: `text` the
// text type (with its collation), `id` the auto-numbered key column's type and
// constraint, `integer` the 64-bit integer type.
std::string tables_ddl(const std::string& text, const std::string& id, const std::string& integer);

// The columns read_need() reads, in its order (from amis_needs AS n).
extern const char* const kNeedColumns;
// The columns of a note, in read_note()'s order.
extern const char* const kNoteColumns;

using Placeholder = std::function<std::string(int)>;

// " WHERE ..." (or "") for the filter's conditions; `values` receives the text
// parameters to bind, in order, from placeholder 1.
std::string where(const core::NeedFilter& filter, const Placeholder& p, std::vector<std::string>& values);

// One row as the backends read it: text of a column (nullopt for NULL).
struct RowReader {
  std::function<std::optional<std::string>(int)> text;
  std::function<std::int64_t(int)> integer;
};
core::Need read_need(const RowReader& row);
core::NeedNote read_note(const RowReader& row);

const char* to_string(core::NeedNote::Kind kind);

// The audit's subject of a need ("need 12"), and the detail of a triage: its changes, "; " between.
std::string subject(std::int64_t id);
std::string audit_detail(const std::vector<std::string>& changes);

}  // namespace amis::store::need_sql
