#include "store/postgis/pg_feature_rows.hpp"

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
  std::string array = "{";
  for (std::size_t i = 0; i < fids.size(); ++i) array += (i ? "," : "") + std::to_string(fids[i]);
  connection_.exec("SELECT fid FROM " + table_ + " WHERE fid = ANY($1::bigint[]) ORDER BY fid FOR UPDATE",
                   Params().text(array + "}"));
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
  std::string columns = fid ? "fid, geom" : "geom";
  std::string values = fid ? "$1, ST_GeomFromWKB($2, 4326)" : "ST_GeomFromWKB($2, 4326)";
  for (std::size_t i = 0; i < collection_.properties.size(); ++i) {
    columns += ", " + quote_identifier(collection_.properties[i].name);
    values += ", " + placeholder(static_cast<int>(i) + 3);
  }
  const auto r =
      connection_.exec("INSERT INTO " + table_ + " (" + columns + ") VALUES (" + values + ") RETURNING fid", params);
  return r.integer(0, 0);
}

void FeatureRows::replace(std::int64_t fid, const edit::FeatureState& state) {
  Params params;
  params.integer(fid);
  if (state.wkb.empty()) params.null(oid::kBytea);
  else params.bytes(state.wkb);
  bind_properties(params, state.properties);
  std::string sql = "UPDATE " + table_ + " SET geom = ST_GeomFromWKB($2, 4326)";
  for (std::size_t i = 0; i < collection_.properties.size(); ++i)
    sql += ", " + quote_identifier(collection_.properties[i].name) + " = " + placeholder(static_cast<int>(i) + 3);
  connection_.exec(sql + " WHERE fid = $1", params);
}

void FeatureRows::remove(std::int64_t fid) {
  connection_.exec("DELETE FROM " + table_ + " WHERE fid = $1", Params().integer(fid));
}

void FeatureRows::refresh(const std::string& time) {
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
}

std::string FeatureRows::properties_json(const std::string& alias) const {
  std::string columns;
  for (const auto& p : collection_.properties)
    columns += (columns.empty() ? "" : ", ") + alias + "." + quote_identifier(p.name);
  if (columns.empty()) return "'{}'";
  return "(SELECT row_to_json(p)::text FROM (SELECT " + columns + ") p)";
}

}  // namespace amis::store::postgis
