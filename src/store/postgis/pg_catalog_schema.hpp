#pragma once
// The catalogue's tables in PostgreSQL (a part of pg_schema.cpp's schema_parts()),
// the same columns as the GeoPackage catalogue's (store/gpkg/catalog_rows.cpp) so
// that one filter compiles against both: amis_records with the record as jsonb,
// a tsvector (english: stemming, stop words) weighted title A > keywords B >
// abstract C > the rest D under a GIN index, the extent as a polygon under GiST;
// amis_record_terms for the facets; amis_catalog_state with the version of the
// sources (collections, styles, rasters: counted up by statement triggers in the
// writer's transaction, whichever node writes) and of the derived records. Text columns collate "C", as SQLite's BINARY,
// so that sorting and facet order are the same on both stores.
namespace amis::store::postgis {

inline constexpr const char* kCatalogTables = R"SQL(
CREATE TABLE IF NOT EXISTS amis_records (
  id text COLLATE "C" PRIMARY KEY, origin text NOT NULL, type text COLLATE "C" NOT NULL,
  title text COLLATE "C" NOT NULL, description text COLLATE "C" NOT NULL, country text COLLATE "C",
  language text COLLATE "C", license text COLLATE "C", parent text COLLATE "C",
  keywords text COLLATE "C" NOT NULL, themes text COLLATE "C" NOT NULL, formats text COLLATE "C" NOT NULL,
  "externalIds" text COLLATE "C" NOT NULL, created text COLLATE "C", updated text COLLATE "C" NOT NULL,
  published text COLLATE "C", "featureCount" bigint, time_start text COLLATE "C", time_end text COLLATE "C",
  min_x double precision, min_y double precision, max_x double precision, max_y double precision,
  fts_keywords text NOT NULL, fts_other text NOT NULL, document jsonb NOT NULL,
  geom geometry(Polygon, 4326) GENERATED ALWAYS AS (ST_MakeEnvelope(min_x, min_y, max_x, max_y, 4326)) STORED,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', fts_keywords), 'B') ||
    setweight(to_tsvector('english', description), 'C') || setweight(to_tsvector('english', fts_other), 'D')) STORED);
CREATE INDEX IF NOT EXISTS amis_records_tsv ON amis_records USING gin (tsv);
CREATE INDEX IF NOT EXISTS amis_records_geom ON amis_records USING gist (geom);
CREATE INDEX IF NOT EXISTS amis_records_origin ON amis_records (origin);
CREATE INDEX IF NOT EXISTS amis_records_updated ON amis_records (updated);
CREATE INDEX IF NOT EXISTS amis_records_title ON amis_records (title);
CREATE INDEX IF NOT EXISTS amis_records_time ON amis_records (time_start, time_end);
CREATE TABLE IF NOT EXISTS amis_record_terms (
  field text NOT NULL, value text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL REFERENCES amis_records (id) ON DELETE CASCADE,
  PRIMARY KEY (field, value, id));
CREATE INDEX IF NOT EXISTS amis_record_terms_id ON amis_record_terms (id, field);
CREATE TABLE IF NOT EXISTS amis_catalog_state (sources_version bigint NOT NULL, derived_version bigint NOT NULL);
INSERT INTO amis_catalog_state SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM amis_catalog_state);
CREATE OR REPLACE FUNCTION amis_catalog_sources_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE amis_catalog_state SET sources_version = sources_version + 1;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER amis_catalog_collections AFTER INSERT OR UPDATE OR DELETE ON amis_collections
  FOR EACH STATEMENT EXECUTE FUNCTION amis_catalog_sources_changed();
CREATE OR REPLACE TRIGGER amis_catalog_styles AFTER INSERT OR UPDATE OR DELETE ON amis_styles
  FOR EACH STATEMENT EXECUTE FUNCTION amis_catalog_sources_changed();
CREATE OR REPLACE TRIGGER amis_catalog_rasters AFTER INSERT OR UPDATE OR DELETE ON amis_rasters
  FOR EACH STATEMENT EXECUTE FUNCTION amis_catalog_sources_changed();
)SQL";

}  // namespace amis::store::postgis
