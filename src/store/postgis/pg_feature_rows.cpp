#include "store/postgis/pg_feature_rows.hpp"

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "store/postgis/pg_schema.hpp"

namespace amis::store::postgis {
namespace {

constexpr const char* kGeometryOut = "encode(ST_AsBinary(geom, 'NDR'), 'hex')";

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, out[i], 16);
  return out;
}

// A column in text format as the JSON value of its property's type, as
// GpkgChangeSets reads a SQLite column.
nlohmann::json column_json(const Result& r, int column, core::PropertyType type) {
  if (r.is_null(0, column)) return nullptr;
  const auto text = r.text(0, column);
  switch (r.type(column)) {
    case oid::kBool: return r.boolean(0, column);
    case oid::kInt2:
    case oid::kInt4:
    case oid::kInt8:
      if (type == core::PropertyType::Boolean) return r.integer(0, column) != 0;
      if (type == core::PropertyType::Real) return static_cast<double>(r.integer(0, column));
      return r.integer(0, column);
    case oid::kFloat4:
    case oid::kFloat8: return r.real(0, column);
    default: return std::string(text);
  }
}

std::string placeholder(int n) { return "$" + std::to_string(n); }

}  // namespace

FeatureRows::FeatureRows(Connection& connection, const core::Collection& collection, bool lock)
    : connection_(connection), collection_(collection) {
  const auto r = connection_.exec(
      std::string("SELECT 1 FROM amis_collections WHERE id = $1") + (lock ? " FOR UPDATE" : ""),
      Params().text(collection.id));
  if (r.rows() == 0) throw core::NotFound("no collection '" + collection.id + "'");
  table_ = feature_table(collection.id);
}

std::optional<edit::FeatureState> FeatureRows::read(std::int64_t fid) {
  std::string sql = std::string("SELECT ") + kGeometryOut;
  for (const auto& p : collection_.properties) sql += ", " + quote_identifier(p.name);
  const auto r = connection_.exec(sql + " FROM " + table_ + " WHERE fid = $1", Params().integer(fid));
  if (r.rows() == 0) return std::nullopt;
  edit::FeatureState state;
  if (!r.is_null(0, 0)) state.wkb = from_hex(r.text(0, 0));
  for (std::size_t i = 0; i < collection_.properties.size(); ++i)
    state.properties[collection_.properties[i].name] =
        column_json(r, static_cast<int>(i) + 1, collection_.properties[i].type);
  return state;
}

void FeatureRows::lock(const std::vector<std::int64_t>& fids) {
  if (fids.empty()) return;
  connection_.exec("SELECT fid FROM " + table_ + " WHERE fid = ANY($1::bigint[]) ORDER BY fid FOR UPDATE",
                   Params().integers(fids));
}

// Binds a property value, which the edit layer has checked against the type.
void FeatureRows::bind_properties(Params& params, const nlohmann::json& properties) const {
  for (const auto& p : collection_.properties) {
    const auto& v = properties.value(p.name, nlohmann::json());
    if (v.is_null()) params.null();
    else if (p.type == core::PropertyType::Boolean && (v.is_boolean() || v.is_number_integer()))
      params.boolean(v.is_boolean() ? v.get<bool>() : v.get<std::int64_t>() != 0);
    else if (v.is_boolean()) params.integer(v.get<bool>() ? 1 : 0);
    else if (v.is_number_integer() && p.type != core::PropertyType::Real) params.integer(v.get<std::int64_t>());
    else if (v.is_number()) params.real(v.get<double>());
    else if (v.is_string()) params.text(v.get_ref<const std::string&>());
    else params.text(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

std::string FeatureRows::insert_statement(const std::string& columns, const std::string& values) const {
  return "INSERT INTO " + table_ + " (" + columns + ") VALUES " + values + " RETURNING fid, " + summary_columns("");
}

std::string FeatureRows::property_columns() const {
  std::string columns;
  for (const auto& p : collection_.properties) columns += ", " + quote_identifier(p.name);
  return columns;
}

std::int64_t FeatureRows::insert(std::optional<std::int64_t> fid, const edit::FeatureState& state) {
  Params params;
  if (fid) params.integer(*fid);
  else params.null(oid::kInt8);
  if (state.wkb.empty()) params.null(oid::kBytea);
  else params.bytes(state.wkb);
  bind_properties(params, state.properties);
  // A new feature takes the table's identity (never reused, as the GeoPackage's AUTOINCREMENT:
  // max(fid) + 1 gave a new feature the id, and so the history, of a deleted one); an
  // explicit fid (a revert re-inserting a deleted feature) keeps its own. $1 stays bound
  // (typed int8) when unused, so the properties keep their numbers.
  std::string values = fid ? "($1, ST_GeomFromWKB($2, 4326)" : "(ST_GeomFromWKB($2, 4326)";
  for (std::size_t i = 0; i < collection_.properties.size(); ++i) values += ", " + placeholder(static_cast<int>(i) + 3);
  const auto r = connection_.exec(insert_statement((fid ? "fid, geom" : "geom") + property_columns(), values + ")"),
                                  params, Format::Binary);
  changes_.inserted(r.integer(0, 0), summary_part(r, 1));
  return r.integer(0, 0);
}

std::vector<std::int64_t> FeatureRows::insert_new(const std::vector<const edit::FeatureState*>& states) {
  std::vector<std::int64_t> fids;
  if (states.empty()) return fids;
  // The identity's next values, taken in order as one-by-one inserts would take them.
  {
    const auto r = connection_.exec(
        "SELECT nextval(pg_get_serial_sequence($1, 'fid')) FROM generate_series(1, $2) ORDER BY 1",
        Params().text(table_).integer(static_cast<std::int64_t>(states.size())), Format::Binary);
    for (int i = 0; i < r.rows(); ++i) fids.push_back(r.integer(i, 0));
  }
  if (fids.size() != states.size()) throw core::ServerError("the fid sequence of '" + collection_.id + "' gave too few values");
  const std::size_t per_row = 2 + collection_.properties.size();
  const std::size_t rows_per_statement = std::clamp<std::size_t>(60000 / per_row, 1, 1000);
  const std::string columns = "fid, geom" + property_columns();
  for (std::size_t first = 0; first < states.size(); first += rows_per_statement) {
    const std::size_t last = std::min(states.size(), first + rows_per_statement);
    Params params;
    std::string values;
    int n = 0;
    for (std::size_t i = first; i < last; ++i) {
      params.integer(fids[i]);
      if (states[i]->wkb.empty()) params.null(oid::kBytea);
      else params.bytes(states[i]->wkb);
      bind_properties(params, states[i]->properties);
      values += (i == first ? "(" : ", (") + placeholder(n + 1) + ", ST_GeomFromWKB(" + placeholder(n + 2) + ", 4326)";
      for (std::size_t k = 0; k < collection_.properties.size(); ++k)
        values += ", " + placeholder(n + 3 + static_cast<int>(k));
      values += ")";
      n += static_cast<int>(per_row);
    }
    const auto r = connection_.exec(insert_statement(columns, values), params, Format::Binary);
    for (int row = 0; row < r.rows(); ++row) changes_.inserted(r.integer(row, 0), summary_part(r, 1, row));
  }
  return fids;
}

void FeatureRows::replace(std::int64_t fid, const edit::FeatureState& state) {
  Params params;
  params.integer(fid);
  if (state.wkb.empty()) params.null(oid::kBytea);
  else params.bytes(state.wkb);
  bind_properties(params, state.properties);
  std::string sql = "UPDATE " + table_ + " AS n SET geom = ST_GeomFromWKB($2, 4326)";
  for (std::size_t i = 0; i < collection_.properties.size(); ++i)
    sql += ", " + quote_identifier(collection_.properties[i].name) + " = " + placeholder(static_cast<int>(i) + 3);
  // The row as it was (the subquery reads the statement's snapshot) beside the row as it is.
  std::string old_columns = "fid, geom";
  if (collection_.temporal_property) old_columns += ", " + quote_identifier(*collection_.temporal_property);
  const auto r = connection_.exec(sql + " FROM (SELECT " + old_columns + " FROM " + table_ +
                                      " WHERE fid = $1) AS o WHERE n.fid = o.fid RETURNING " +
                                      summary_columns("n.") + ", " + summary_columns("o."),
                                  params, Format::Binary);
  if (r.rows() > 0) changes_.replaced(fid, summary_part(r, 5), summary_part(r, 0));
}

void FeatureRows::remove(std::int64_t fid) {
  const auto r = connection_.exec("DELETE FROM " + table_ + " WHERE fid = $1 RETURNING " + summary_columns(""),
                                  Params().integer(fid), Format::Binary);
  if (r.rows() > 0) changes_.deleted(fid, summary_part(r, 0));
}

std::string FeatureRows::summary_columns(const std::string& alias) const {
  const std::string g = alias + "geom";
  std::string time = "NULL::text";
  if (collection_.temporal_property) time = alias + quote_identifier(*collection_.temporal_property) + "::text";
  return "ST_XMin(" + g + "), ST_YMin(" + g + "), ST_XMax(" + g + "), ST_YMax(" + g + "), " + time;
}

edit::SummaryPart FeatureRows::summary_part(const Result& r, int first, int row) {
  edit::SummaryPart part;
  if (!r.is_null(row, first)) {  // else no geometry, or an empty one
    part.envelope.expand(r.real(row, first), r.real(row, first + 1));
    part.envelope.expand(r.real(row, first + 2), r.real(row, first + 3));
  }
  if (!r.is_null(row, first + 4)) part.time = std::string(r.text(row, first + 4));
  return part;
}

void FeatureRows::refresh_all(const std::string& time) {
  std::string temporal = "NULL::text, NULL::text";
  if (collection_.temporal_property) {
    const std::string t = quote_identifier(*collection_.temporal_property) + "::text COLLATE \"C\"";
    temporal = "min(" + t + "), max(" + t + ")";
  }
  const auto r = connection_.exec("SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), ts, te FROM "
                                  "(SELECT count(*), ST_Extent(geom), " + temporal + " FROM " + table_ +
                                  ") s(n, e, ts, te)",
                                  {}, Format::Binary);
  Params p;
  p.text(collection_.id).text(time).integer(r.integer(0, 0));
  // ST_Extent's exact doubles, as the import wrote them and as the GeoPackage store
  // reads them after an approval.
  for (int i = 1; i <= 4; ++i) {
    if (r.is_null(0, i)) p.null(oid::kFloat8);
    else p.real(r.real(0, i));
  }
  const bool temporal_known = collection_.temporal_property.has_value();
  const std::string keep_or_set = temporal_known ? "$8, $9" : "temporal_start, temporal_end";
  if (temporal_known) {
    if (r.is_null(0, 5)) p.null(oid::kText); else p.text(r.text(0, 5), oid::kText);
    if (r.is_null(0, 6)) p.null(oid::kText); else p.text(r.text(0, 6), oid::kText);
  }
  connection_.exec(
      "UPDATE amis_collections SET (feature_count, updated, min_x, min_y, max_x, max_y, temporal_start, "
      "temporal_end) = ($3, $2, $4, $5, $6, $7, " + keep_or_set + ") WHERE id = $1",
      p);
  changes_ = {};
}

void FeatureRows::refresh(const std::string& time) {
  const auto stored = connection_.exec(
      "SELECT feature_count, min_x, min_y, max_x, max_y, temporal_start, temporal_end FROM amis_collections "
      "WHERE id = $1",
      Params().text(collection_.id), Format::Binary);
  const bool temporal = collection_.temporal_property.has_value();
  if (stored.rows() == 0 || stored.is_null(0, 0)) return refresh_all(time);
  edit::CollectionSummary before;
  before.count = stored.integer(0, 0);
  if (!stored.is_null(0, 1)) before.extent = {stored.real(0, 1), stored.real(0, 2), stored.real(0, 3), stored.real(0, 4)};
  if (!stored.is_null(0, 5)) before.first = std::string(stored.text(0, 5));
  if (!stored.is_null(0, 6)) before.last = std::string(stored.text(0, 6));
  // An import summarises only text times; a time column of another type is
  // summarised at the first approval.
  const bool times_unknown = temporal && !before.first && before.count > 0;
  auto update = edit::update_summary(before, changes_);
  if (times_unknown || update.recompute_all) return refresh_all(time);

  auto& summary = update.summary;
  const core::Envelope bounds = summary.extent;  // every row lies in it
  double side[4] = {bounds.min_x, bounds.min_y, bounds.max_x, bounds.max_y};
  for (int i = 0; i < 4 && !summary.extent.empty(); ++i) {
    if (!update.recompute_side[static_cast<std::size_t>(i)]) continue;
    const auto exact = extent_side(i, bounds);
    if (!exact) summary.extent = {};  // no row has a geometry any more
    else side[i] = *exact;
  }
  if (!summary.extent.empty()) summary.extent = {side[0], side[1], side[2], side[3]};
  if (temporal && update.recompute_times) {
    const std::string t = quote_identifier(*collection_.temporal_property) + "::text COLLATE \"C\"";
    const auto r = connection_.exec("SELECT min(" + t + "), max(" + t + ") FROM " + table_, {}, Format::Binary);
    summary.first = r.is_null(0, 0) ? std::nullopt : std::optional<std::string>(r.text(0, 0));
    summary.last = r.is_null(0, 1) ? std::nullopt : std::optional<std::string>(r.text(0, 1));
  }

  Params p;
  p.text(collection_.id).text(time).integer(summary.count);
  if (summary.extent.empty()) {
    for (int i = 0; i < 4; ++i) p.null(oid::kFloat8);
  } else {
    p.real(summary.extent.min_x).real(summary.extent.min_y).real(summary.extent.max_x).real(summary.extent.max_y);
  }
  std::string keep_or_set = "temporal_start, temporal_end";
  if (temporal) {
    for (const auto* v : {&summary.first, &summary.last}) {
      if (*v) p.text(**v, oid::kText);
      else p.null(oid::kText);
    }
    keep_or_set = "$8, $9";
  }
  connection_.exec(
      "UPDATE amis_collections SET (feature_count, updated, min_x, min_y, max_x, max_y, temporal_start, "
      "temporal_end) = ($3, $2, $4, $5, $6, $7, " + keep_or_set + ") WHERE id = $1",
      p);
  changes_ = {};
}

std::optional<double> FeatureRows::extent_side(int side, const core::Envelope& bounds) {
  static const char* const kSide[] = {"min(ST_XMin(geom))", "min(ST_YMin(geom))", "max(ST_XMax(geom))",
                                      "max(ST_YMax(geom))"};
  const bool along_x = side == 0 || side == 2;
  const double width = along_x ? bounds.max_x - bounds.min_x : bounds.max_y - bounds.min_y;
  // Every row lies in `bounds`, so a row whose side is within w of bounds' side meets
  // the strip of width w there; the index's boxes are rounded outwards, never missing one.
  for (double w = width / 1024;; w *= 16) {
    core::Envelope strip = bounds;
    const bool whole = w >= width;
    if (!whole) {
      if (side == 0) strip.max_x = bounds.min_x + w;
      if (side == 1) strip.max_y = bounds.min_y + w;
      if (side == 2) strip.min_x = bounds.max_x - w;
      if (side == 3) strip.min_y = bounds.max_y - w;
    }
    const auto r = connection_.exec(std::string("SELECT ") + kSide[side] + " FROM " + table_ +
                                        " WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)",
                                    Params().real(strip.min_x).real(strip.min_y).real(strip.max_x).real(strip.max_y),
                                    Format::Binary);
    if (!r.is_null(0, 0)) return r.real(0, 0);
    if (whole) return std::nullopt;
  }
}

std::string FeatureRows::properties_json(const std::string& alias) const {
  std::string columns;
  for (const auto& p : collection_.properties)
    columns += (columns.empty() ? "" : ", ") + alias + "." + quote_identifier(p.name);
  if (columns.empty()) return "'{}'";
  return "(SELECT row_to_json(p)::text FROM (SELECT " + columns + ") p)";
}

}  // namespace amis::store::postgis
