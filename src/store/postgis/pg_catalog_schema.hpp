#pragma once
// The catalogue's tables in PostgreSQL (a part of pg_schema.cpp's schema_parts()),
// the same columns as the GeoPackage catalogue's (store/gpkg/catalog_rows.cpp) so
// that one filter compiles against both: amis_records with the record as jsonb,
// a tsvector weighted title A > keywords B > abstract C > the rest D under a GIN
// index, the extent as a polygon under GiST; the words of the AnyText fields in
// amis_record_words (full_text_words, sent by the writer: the tokenizer of the stems). The full text reads the C++ stems of the words
// (store/full_text_words.hpp: FTS5's unicode61 words, English stems), written by
// the writer into stem_title, stem_keywords, stem_description and stem_other, as
// the GeoPackage's FTS5 table holds them; the 'simple' configuration only splits
// them at the spaces, so that both stores find the same records. A catalogue of an
// earlier full text (tsv over amis_search_text() of the words themselves) gets
// its stems on start (migrate_catalog_full_text). amis_search_text() makes every
// ASCII character that is not a letter or digit a space and removes accents: the
// AnyText word list's reading of the words;
// amis_record_terms for the facets; amis_catalog_state with the version of the
// sources (collections, styles, rasters: counted up by statement triggers in the
// writer's transaction, whichever node writes), of the derived records and of the
// records (every write). Text columns collate "C", as SQLite's BINARY,
// so that sorting and facet order are the same on both stores.
#include <string>

namespace amis::store::postgis {

class Connection;

// The weighted tsvector of a row of amis_records.
inline constexpr const char* kRecordTsv =
    "setweight(to_tsvector('simple', stem_title), 'A') || "
    "setweight(to_tsvector('simple', stem_keywords), 'B') || "
    "setweight(to_tsvector('simple', stem_description), 'C') || "
    "setweight(to_tsvector('simple', stem_other), 'D')";

// The full text's version in amis_catalog_state.full_text_version: 1 the stems.
inline constexpr int kFullTextVersion = 1;

inline std::string catalog_tables() {
  return std::string(R"SQL(
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE OR REPLACE FUNCTION amis_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN unaccent('unaccent'::regdictionary, regexp_replace(t, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+', ' ', 'g'));
CREATE OR REPLACE FUNCTION amis_anytext_words(title text, keywords text, description text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array(SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple',
    amis_search_text(title || ' ' || keywords || ' ' || description)))) AS w WHERE w !~ '^[0-9]+$');
CREATE TABLE IF NOT EXISTS amis_records (
  id text COLLATE "C" PRIMARY KEY, origin text NOT NULL, type text COLLATE "C" NOT NULL,
  title text COLLATE "C" NOT NULL, description text COLLATE "C" NOT NULL, country text COLLATE "C",
  language text COLLATE "C", license text COLLATE "C", parent text COLLATE "C",
  keywords text COLLATE "C" NOT NULL, themes text COLLATE "C" NOT NULL, formats text COLLATE "C" NOT NULL,
  "externalIds" text COLLATE "C" NOT NULL, created text COLLATE "C", updated text COLLATE "C" NOT NULL,
  published text COLLATE "C", "featureCount" bigint, time_start text COLLATE "C", time_end text COLLATE "C",
  min_x double precision, min_y double precision, max_x double precision, max_y double precision,
  fts_keywords text NOT NULL, fts_other text NOT NULL, document jsonb NOT NULL,
  stem_title text NOT NULL DEFAULT '', stem_keywords text NOT NULL DEFAULT '',
  stem_description text NOT NULL DEFAULT '', stem_other text NOT NULL DEFAULT '',
  geom geometry(Polygon, 4326) GENERATED ALWAYS AS (ST_MakeEnvelope(min_x, min_y, max_x, max_y, 4326)) STORED,
  tsv tsvector GENERATED ALWAYS AS ()SQL") + kRecordTsv + R"SQL() STORED);
ALTER TABLE amis_records ADD COLUMN IF NOT EXISTS stem_title text NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS stem_keywords text NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS stem_description text NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS stem_other text NOT NULL DEFAULT '';
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
             WHERE d.adrelid = 'amis_records'::regclass AND a.attname = 'tsv'
               AND pg_get_expr(d.adbin, d.adrelid) NOT LIKE '%stem_title%') THEN
    ALTER TABLE amis_records DROP COLUMN tsv;
    ALTER TABLE amis_records ADD COLUMN tsv tsvector GENERATED ALWAYS AS ()SQL" + kRecordTsv + R"SQL() STORED;
  END IF;
  IF to_regclass('amis_record_words') IS NULL THEN
    CREATE TABLE amis_record_words (word text COLLATE "C" PRIMARY KEY);
    INSERT INTO amis_record_words SELECT DISTINCT w FROM amis_records,
      unnest(amis_anytext_words(title, fts_keywords, description)) AS w;
  END IF;
END $$;
-- The long values (a record's document, its texts) compressed with LZ4 where the server
-- has it: PostgreSQL's own pglz took a tenth of a harvest's time in the database.
DO $$ BEGIN
  ALTER TABLE amis_records ALTER COLUMN document SET COMPRESSION lz4,
    ALTER COLUMN description SET COMPRESSION lz4, ALTER COLUMN fts_other SET COMPRESSION lz4,
    ALTER COLUMN stem_description SET COMPRESSION lz4, ALTER COLUMN stem_other SET COMPRESSION lz4;
EXCEPTION WHEN others THEN NULL;  -- built without LZ4: pglz stays
END $$;
CREATE INDEX IF NOT EXISTS amis_records_tsv ON amis_records USING gin (tsv);
CREATE INDEX IF NOT EXISTS amis_records_geom ON amis_records USING gist (geom);
CREATE INDEX IF NOT EXISTS amis_records_origin ON amis_records (origin);
CREATE INDEX IF NOT EXISTS amis_records_updated ON amis_records (updated);
CREATE INDEX IF NOT EXISTS amis_records_title ON amis_records (title);
CREATE INDEX IF NOT EXISTS amis_records_time ON amis_records (time_start, time_end);
-- A record's terms go with it: the record writer (pg_record_writer.cpp), the one
-- place that deletes records, deletes their terms first. No foreign key: its check,
-- a lookup per term, was an eighth of a catalogue import's time in the database.
CREATE TABLE IF NOT EXISTS amis_record_terms (
  field text NOT NULL, value text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
  PRIMARY KEY (field, value, id));
ALTER TABLE amis_record_terms DROP CONSTRAINT IF EXISTS amis_record_terms_id_fkey;
CREATE INDEX IF NOT EXISTS amis_record_terms_id ON amis_record_terms (id, field);
CREATE TABLE IF NOT EXISTS amis_catalog_state (sources_version bigint NOT NULL, derived_version bigint NOT NULL);
ALTER TABLE amis_catalog_state ADD COLUMN IF NOT EXISTS records_version bigint NOT NULL DEFAULT 0;
ALTER TABLE amis_catalog_state ADD COLUMN IF NOT EXISTS full_text_version integer NOT NULL DEFAULT 0;
ALTER TABLE amis_catalog_state ADD COLUMN IF NOT EXISTS records_token text NOT NULL DEFAULT '';
INSERT INTO amis_catalog_state (sources_version, derived_version) SELECT 1, 0
  WHERE NOT EXISTS (SELECT 1 FROM amis_catalog_state);
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
}

// After catalog_tables(), in the schema's transaction: the stems of every record
// of a catalogue whose full text is older than kFullTextVersion (pg_catalog_full_text.cpp).
void migrate_catalog_full_text(Connection& connection);

}  // namespace amis::store::postgis
