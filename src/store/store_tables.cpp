// The tables both backends keep under the same names and columns (gpkg_schema.cpp,
// gpkg_accounts.cpp, pg_schema.cpp, pg_accounts.cpp, pg_change_sets.cpp, *_workplans.cpp, *_usage.cpp,
// need_sql.cpp).
#include "store/store_dump.hpp"

namespace amis::store {
namespace {

constexpr auto I = ColumnType::Integer;
constexpr auto R = ColumnType::Real;
constexpr auto T = ColumnType::Text;
constexpr auto B = ColumnType::Bytes;
constexpr auto Y = ColumnType::Boolean;

std::vector<DumpColumn> usage_count_columns() {
  return {{"period", T}, {"collection", T}, {"service", T}, {"operation", T}, {"format", T}, {"status_class", T},
          {"client_class", T}, {"country", T}, {"requests", I}, {"bytes", I}, {"latency_ms", R}, {"features", I}};
}

std::vector<DumpTable> make_tables() {
  return {
      {"amis_styles",
       {{"collection", T}, {"name", T}, {"title", T}, {"abstract", T}, {"sld", T}, {"updated", T}},
       "collection, name", ""},
      {"amis_rasters",
       {{"id", T}, {"title", T}, {"description", T}, {"attribution", T}, {"licence", T}, {"path", T},
        {"min_value", R}, {"max_value", R}, {"min_x", R}, {"min_y", R}, {"max_x", R}, {"max_y", R},
        {"country", T}},
       "id", ""},
      {"amis_raster_bands",
       {{"raster", T}, {"band", I}, {"name", T}, {"unit", T}, {"description", T}, {"data_type", T}, {"nodata", R},
        {"min_value", R}, {"max_value", R}},
       "raster, band", ""},
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
      {"amis_record_versions",
       {{"record", T}, {"version", I}, {"operation", T}, {"change_set", I}, {"author", T}, {"valid_from", T},
        {"document", T}},
       "record, version", ""},
      {"amis_audit",
       {{"id", I}, {"time", T}, {"actor", T}, {"action", T}, {"subject", T}, {"detail", T}},
       "id", "id"},
      // The change feed of a national node and the change sets synced from nodes (issue 16).
      {"amis_change_feed", {{"sequence", I}, {"change_set", I}}, "sequence", ""},
      {"amis_synced",
       {{"node", T}, {"sequence", I}, {"remote_change_set", I}, {"change_set", I}, {"collection", T},
        {"remote_approved", T}, {"applied", T}},
       "node, sequence", ""},
      {"amis_synced_features", {{"node", T}, {"collection", T}, {"remote_fid", I}, {"fid", I}},
       "node, collection, remote_fid", ""},
      // National nodes and their harvests (issue 16).
      {"amis_nodes",
       {{"name", T}, {"url", T}, {"kind", T}, {"country", T}, {"schedule_seconds", I}, {"token", T}, {"created", T},
        {"next_run", I}, {"failures", I}, {"rate_limit", R}},
       "name", ""},
      {"amis_harvested",
       {{"node", T}, {"source_id", T}, {"record_id", T}, {"digest", T}, {"source_modified", T}},
       "node, source_id", ""},
      {"amis_harvest_runs",
       {{"id", I}, {"node", T}, {"started", T}, {"finished", T}, {"status", T}, {"seen", I}, {"added", I},
        {"updated", I}, {"unchanged", I}, {"withdrawn", I}, {"failed", I}, {"failures", T}, {"error", T},
        {"seconds", R}, {"work_seconds", R}},
       "id", "id"},
      {"amis_publications",
       {{"collection", T}, {"node", T}, {"source_id", T}, {"mode", T}, {"metadata", T}, {"created", T},
        {"synced", T}, {"last_error", T}},
       "collection", ""},
      {"amis_node_sync",
       {{"node", T}, {"started", T}, {"finished", T}, {"status", T}, {"applied", I}, {"already", I},
        {"sequence", I}, {"stopped_at", I}, {"reason", T}, {"seconds", R}, {"skipped", T}},
       "node", ""},
      {"amis_mirrored", {{"collection", T}, {"source_id", T}, {"fid", I}, {"digest", T}}, "collection, source_id", ""},
      // Work plans (issue 19): parents before children (foreign keys).
      {"amis_workplans",
       {{"id", T}, {"title", T}, {"period_start", I}, {"period_end", I}, {"source", T}, {"loaded", T}}, "id", ""},
      {"amis_workplan_areas", {{"plan", T}, {"position", I}, {"no", T}, {"code", T}, {"title", T}}, "plan, code", ""},
      {"amis_workplan_activities",
       {{"plan", T}, {"position", I}, {"id", T}, {"area", T}, {"text", T}, {"partner_named", T}, {"lead", T},
        {"co_lead", T}, {"partners", T}, {"country_coordinator", T}, {"planned_start", T}, {"planned_end", T}},
       "plan, id", ""},
      {"amis_workplan_outputs", {{"plan", T}, {"activity", T}, {"position", I}, {"text", T}},
       "plan, activity, position", ""},
      {"amis_workplan_indicators",
       {{"plan", T}, {"activity", T}, {"position", I}, {"name", T}, {"type", T}, {"output", I}, {"baseline", T},
        {"targets", T}},
       "plan, activity, position", ""},
      {"amis_workplan_meetings",
       {{"plan", T}, {"meeting", T}, {"title", T}, {"held", T}, {"frozen", T}, {"frozen_by", T}, {"state", T}},
       "plan, meeting", ""},
      {"amis_workplan_documents",
       {{"id", I}, {"plan", T}, {"activity", T}, {"country", T}, {"title", T}, {"media_type", T}, {"uploaded", T},
        {"uploaded_by", T}, {"content", B}},
       "id", "id"},
      // The needs and requirements register (issue 18): needs before their notes (foreign key).
      {"amis_needs",
       {{"id", I}, {"kind", T}, {"title", T}, {"description", T}, {"collection", T}, {"feature", I}, {"submitter", T},
        {"country", T}, {"created", T}, {"updated", T}, {"status", T}, {"priority", T}, {"assignee", T},
        {"resolution", T}},
       "id", "id"},
      {"amis_need_notes", {{"id", I}, {"need", I}, {"time", T}, {"author", T}, {"kind", T}, {"text", T}}, "id", "id"},
      // Usage statistics (issue 18): the counts kept for ever and the raw events still kept.
      {"amis_usage_hourly", usage_count_columns(), "period, collection, service, operation, format, status_class, "
                                                   "client_class, country", ""},
      {"amis_usage_daily", usage_count_columns(), "period, collection, service, operation, format, status_class, "
                                                  "client_class, country", ""},
      {"amis_usage_visitors", {{"day", T}, {"collection", T}, {"visitors", I}}, "day, collection", ""},
      {"amis_usage_events",
       {{"time_ms", I}, {"day", T}, {"collection", T}, {"service", T}, {"operation", T}, {"format", T},
        {"status_class", T}, {"client_class", T}, {"country", T}, {"bytes", I}, {"latency_ms", R}, {"features", I}},
       "time_ms, day, collection, service, operation, format, status_class, client_class, country, bytes", ""},
  };
}

}  // namespace

const std::vector<DumpTable>& dump_tables() {
  static const std::vector<DumpTable> tables = make_tables();
  return tables;
}

}  // namespace amis::store
