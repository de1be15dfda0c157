#include "store/gpkg/gpkg_schema.hpp"


namespace amis::store::gpkg {
namespace {

using sqlite::quote_identifier;

constexpr const char* kCoreTables = R"SQL(
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE IF NOT EXISTS gpkg_ogr_contents (
  table_name TEXT NOT NULL PRIMARY KEY, feature_count INTEGER DEFAULT NULL);
CREATE TABLE IF NOT EXISTS amis_collections (
  id TEXT PRIMARY KEY, table_name TEXT NOT NULL UNIQUE, title TEXT NOT NULL, description TEXT,
  keywords TEXT, licence TEXT, attribution TEXT, temporal_property TEXT, temporal_start TEXT,
  temporal_end TEXT, feature_count INTEGER NOT NULL DEFAULT 0, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS amis_styles (
  collection TEXT NOT NULL, name TEXT NOT NULL, title TEXT NOT NULL, abstract TEXT NOT NULL,
  sld TEXT NOT NULL, updated TEXT NOT NULL, PRIMARY KEY (collection, name));
CREATE TABLE IF NOT EXISTS amis_rasters (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, attribution TEXT NOT NULL,
  licence TEXT NOT NULL, path TEXT NOT NULL, min_value REAL NOT NULL, max_value REAL NOT NULL,
  min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL,
  country TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS amis_raster_bands (
  raster TEXT NOT NULL, band INTEGER NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL, description TEXT NOT NULL,
  data_type TEXT NOT NULL, nodata REAL, min_value REAL NOT NULL, max_value REAL NOT NULL,
  PRIMARY KEY (raster, band));
CREATE TABLE IF NOT EXISTS amis_change_sets (
  id INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, title TEXT NOT NULL, author TEXT NOT NULL,
  country TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected')),
  created TEXT NOT NULL, submitted TEXT, reviewed TEXT, reviewer TEXT, comment TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS amis_change_sets_state ON amis_change_sets (state, id);
CREATE TABLE IF NOT EXISTS amis_changes (
  change_set INTEGER NOT NULL REFERENCES amis_change_sets (id), seq INTEGER NOT NULL,
  operation TEXT NOT NULL CHECK (operation IN ('insert', 'replace', 'delete')), fid INTEGER,
  base TEXT NOT NULL, geom BLOB, properties TEXT, PRIMARY KEY (change_set, seq));
CREATE INDEX IF NOT EXISTS amis_changes_fid ON amis_changes (change_set, fid);
CREATE TABLE IF NOT EXISTS amis_feature_versions (
  collection TEXT NOT NULL, fid INTEGER NOT NULL, version INTEGER NOT NULL, operation TEXT NOT NULL,
  change_set INTEGER, author TEXT, valid_from TEXT, geom BLOB, properties TEXT,
  PRIMARY KEY (collection, fid, version));
CREATE TABLE IF NOT EXISTS amis_record_versions (
  record TEXT NOT NULL, version INTEGER NOT NULL, operation TEXT NOT NULL, change_set INTEGER, author TEXT,
  valid_from TEXT, document TEXT, PRIMARY KEY (record, version));
CREATE TABLE IF NOT EXISTS amis_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  subject TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS amis_change_feed (sequence INTEGER PRIMARY KEY, change_set INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS amis_synced (
  node TEXT NOT NULL, sequence INTEGER NOT NULL, remote_change_set INTEGER NOT NULL, change_set INTEGER NOT NULL,
  collection TEXT NOT NULL, remote_approved TEXT NOT NULL, applied TEXT NOT NULL, PRIMARY KEY (node, sequence));
CREATE TABLE IF NOT EXISTS amis_synced_features (
  node TEXT NOT NULL, collection TEXT NOT NULL, remote_fid INTEGER NOT NULL, fid INTEGER NOT NULL,
  PRIMARY KEY (node, collection, remote_fid));
CREATE TRIGGER IF NOT EXISTS amis_audit_append_only_update BEFORE UPDATE ON amis_audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS amis_audit_append_only_delete BEFORE DELETE ON amis_audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)SQL";

const char* column_type(core::PropertyType type) {
  switch (type) {
    case core::PropertyType::Integer: return "INTEGER";
    case core::PropertyType::Real: return "REAL";
    case core::PropertyType::Boolean: return "BOOLEAN";
    case core::PropertyType::Date: return "DATE";
    case core::PropertyType::DateTime: return "DATETIME";
    case core::PropertyType::Text: return "TEXT";
  }
  return "TEXT";
}

// The GeoPackage 1.3 R-tree triggers (GeoPackage 1.3, F.3), on columns fid/geom.
std::string rtree_triggers(const std::string& table) {
  const std::string t = quote_identifier(table);
  const std::string r = quote_identifier(rtree_name(table));
  auto name = [&](const char* suffix) { return quote_identifier(rtree_name(table) + suffix); };
  const std::string values =
      "VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));";
  return "CREATE TRIGGER " + name("_insert") + " AFTER INSERT ON " + t +
         " WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO " + r +
         " " + values + " END;" +
         "CREATE TRIGGER " + name("_update1") + " AFTER UPDATE OF geom ON " + t +
         " WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN "
         "INSERT OR REPLACE INTO " + r + " " + values + " END;" +
         "CREATE TRIGGER " + name("_update2") + " AFTER UPDATE OF geom ON " + t +
         " WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN "
         "DELETE FROM " + r + " WHERE id = OLD.fid; END;" +
         "CREATE TRIGGER " + name("_update3") + " AFTER UPDATE ON " + t +
         " WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN "
         "DELETE FROM " + r + " WHERE id = OLD.fid; INSERT OR REPLACE INTO " + r + " " + values +
         " END;" +
         "CREATE TRIGGER " + name("_update4") + " AFTER UPDATE ON " + t +
         " WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN "
         "DELETE FROM " + r + " WHERE id IN (OLD.fid, NEW.fid); END;" +
         "CREATE TRIGGER " + name("_delete") + " AFTER DELETE ON " + t +
         " WHEN old.geom NOT NULL BEGIN DELETE FROM " + r + " WHERE id = OLD.fid; END;";
}

}  // namespace

std::string rtree_name(const std::string& table) { return "rtree_" + table + "_geom"; }

void initialise_geopackage(sqlite::Database& db) {
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA application_id=1196444487");  // 'GPKG'
  db.exec("PRAGMA user_version=10300");         // GeoPackage 1.3.0
  sqlite::Transaction tx(db);
  db.exec(kCoreTables);
  // A coverage's member state (issue 17), kept since 2026-12; stores from before get it empty.
  if (!db.cached("SELECT 1 FROM pragma_table_info('amis_rasters') WHERE name = 'country'")->step())
    db.exec("ALTER TABLE amis_rasters ADD COLUMN country TEXT NOT NULL DEFAULT ''");
  tx.commit();
}

void create_feature_table(sqlite::Database& db, const core::Collection& c) {
  const std::string t = quote_identifier(c.id);
  std::string ddl = "CREATE TABLE " + t + " (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom " +
                    c.geometry_type;
  for (const auto& p : c.properties)
    ddl += ", " + quote_identifier(p.name) + " " + column_type(p.type);
  ddl += ")";
  db.exec(ddl);
  db.exec("CREATE VIRTUAL TABLE " + quote_identifier(rtree_name(c.id)) +
          " USING rtree(id, minx, maxx, miny, maxy)");

  auto contents = db.cached(
      "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
      "VALUES (?, 'features', ?, ?, ?)");
  contents->bind(1, std::string_view(c.id));
  contents->bind(2, std::string_view(c.title));
  contents->bind(3, std::string_view(c.description));
  contents->bind(4, std::int64_t{kCrs84SrsId});
  contents->run();

  auto columns = db.cached(
      "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)");
  columns->bind(1, std::string_view(c.id));
  columns->bind(2, std::string_view(c.geometry_type));
  columns->bind(3, std::int64_t{kCrs84SrsId});
  columns->run();

  auto extension = db.cached(
      "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', "
      "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')");
  extension->bind(1, std::string_view(c.id));
  extension->run();
}

void install_spatial_index_triggers(sqlite::Database& db, const std::string& table) {
  db.exec(rtree_triggers(table));
}

void drop_feature_table(sqlite::Database& db, const std::string& table) {
  db.exec("DROP TABLE IF EXISTS " + quote_identifier(table));  // drops its triggers too
  db.exec("DROP TABLE IF EXISTS " + quote_identifier(rtree_name(table)));
  for (const char* registry : {"gpkg_extensions", "gpkg_geometry_columns", "gpkg_ogr_contents",
                               "gpkg_contents", "amis_collections"}) {
    auto del = db.cached(std::string("DELETE FROM ") + registry + " WHERE table_name = ?");
    del->bind(1, std::string_view(table));
    del->run();
  }
  // A re-imported collection starts a new history: its fids are new.
  auto versions = db.cached("DELETE FROM amis_feature_versions WHERE collection = ?");
  versions->bind(1, std::string_view(table));
  versions->run();
}

}  // namespace amis::store::gpkg
