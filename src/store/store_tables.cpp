// The tables both backends keep under the same names and columns (gpkg_schema.cpp,
// gpkg_accounts.cpp, pg_schema.cpp, pg_accounts.cpp, pg_change_sets.cpp).
#include "store/store_dump.hpp"

namespace amis::store {
namespace {

constexpr auto I = ColumnType::Integer;
constexpr auto R = ColumnType::Real;
constexpr auto T = ColumnType::Text;
constexpr auto B = ColumnType::Bytes;
constexpr auto Y = ColumnType::Boolean;

std::vector<DumpTable> make_tables() {
  return {
      {"amis_styles",
       {{"collection", T}, {"name", T}, {"title", T}, {"abstract", T}, {"sld", T}, {"updated", T}},
       "collection, name", ""},
      {"amis_rasters",
       {{"id", T}, {"title", T}, {"description", T}, {"attribution", T}, {"licence", T}, {"path", T},
        {"min_value", R}, {"max_value", R}, {"min_x", R}, {"min_y", R}, {"max_x", R}, {"max_y", R}},
       "id", ""},
      {"amis_users",
       {{"name", T}, {"role", T}, {"country", T}, {"password_hash", T}, {"disabled", Y}, {"created", T}},
       "name", ""},
      {"amis_tokens",
       {{"id", I}, {"user_name", T}, {"digest", T}, {"label", T}, {"created", T}, {"revoked", Y}},
       "id", "id"},
      {"amis_sessions", {{"digest", T}, {"user_name", T}, {"csrf", T}, {"expires", I}}, "digest", ""},
      {"amis_login_salts", {{"day", I}, {"salt", T}}, "day", ""},
      {"amis_login_pairs",
       {{"digest", T}, {"failures", I}, {"last", I}, {"wait_until", I}, {"active_until", I}},
       "digest", ""},
      {"amis_login_names", {{"address", T}, {"name", T}, {"last", I}}, "address, name", ""},
      {"amis_change_sets",
       {{"id", I}, {"collection", T}, {"title", T}, {"author", T}, {"country", T}, {"state", T},
        {"created", T}, {"submitted", T}, {"reviewed", T}, {"reviewer", T}, {"comment", T}},
       "id", "id"},
      {"amis_changes",
       {{"change_set", I}, {"seq", I}, {"operation", T}, {"fid", I}, {"base", T}, {"geom", B},
        {"properties", T}},
       "change_set, seq", ""},
      {"amis_feature_versions",
       {{"collection", T}, {"fid", I}, {"version", I}, {"operation", T}, {"change_set", I}, {"author", T},
        {"valid_from", T}, {"geom", B}, {"properties", T}},
       "collection, fid, version", ""},
      {"amis_audit",
       {{"id", I}, {"time", T}, {"actor", T}, {"action", T}, {"subject", T}, {"detail", T}},
       "id", "id"},
  };
}

}  // namespace

const std::vector<DumpTable>& dump_tables() {
  static const std::vector<DumpTable> tables = make_tables();
  return tables;
}

}  // namespace amis::store
