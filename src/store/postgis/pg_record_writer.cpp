#include "store/postgis/pg_record_writer.hpp"

#include <charconv>

#include "core/error.hpp"
#include "store/catalog_row.hpp"

namespace amis::store::postgis {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;  // COPY data sent in 1 MB pieces

// The columns a writer fills (the rest are generated: geom, tsv).
constexpr const char* kColumns =
    "id, origin, type, title, description, country, language, license, parent, keywords, themes, formats, "
    "\"externalIds\", created, updated, published, \"featureCount\", time_start, time_end, min_x, min_y, max_x, "
    "max_y, fts_keywords, fts_other, document, stem_title, stem_keywords, stem_description, stem_other";
// The staging table has one more: the AnyText words (full_text_words) this writer had not sent yet.
constexpr const char* kStageColumns = "new_words";

// One line of COPY's text format: fields separated by tabs, backslash escapes,
// \N for NULL.
class CopyLine {
 public:
  explicit CopyLine(std::string& out) : out_(out) {}
  ~CopyLine() { out_ += '\n'; }
  CopyLine& text(std::string_view v) {
    next();
    for (char c : v) {
      switch (c) {
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: out_ += c;
      }
    }
    return *this;
  }
  CopyLine& maybe(const std::optional<std::string>& v) { return v ? text(*v) : null(); }
  template <typename Number>
  CopyLine& number(const std::optional<Number>& v) {
    if (!v) return null();
    next();
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof digits, *v).ptr;  // shortest text that reads back the same
    out_.append(digits, end);
    return *this;
  }
  CopyLine& null() {
    next();
    out_ += "\\N";
    return *this;
  }

 private:
  void next() {
    if (!first_) out_ += '\t';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

// The columns in kColumns' order, then kStageColumns.
void put_row(std::string& out, const PreparedRecord& record, std::string_view new_words) {
  const RecordRow& r = record.row;
  CopyLine line(out);
  line.text(r.id).text(r.origin).text(r.type).text(r.title).text(r.description);
  line.maybe(r.country).maybe(r.language).maybe(r.license).maybe(r.parent);
  line.text(json_array(r.keywords)).text(json_array(r.themes)).text(json_array(r.formats));
  line.text(json_array(r.external_ids));
  line.maybe(r.created).text(r.updated).maybe(r.published).number(r.feature_count);
  line.maybe(r.time_start).maybe(r.time_end);
  const auto corner = [&](double core::Envelope::*m) { return r.extent ? std::optional((*r.extent).*m) : std::nullopt; };
  line.number(corner(&core::Envelope::min_x)).number(corner(&core::Envelope::min_y));
  line.number(corner(&core::Envelope::max_x)).number(corner(&core::Envelope::max_y));
  line.text(r.keyword_text).text(r.other_text).text(r.document);
  // the full text's stems (store/full_text_words.hpp), as the GeoPackage's FTS5 table holds them
  line.text(record.stem_title).text(record.stem_keywords).text(record.stem_description).text(record.stem_other);
  line.text(new_words);
}

// The staged rows over the records (the last put of an id wins), and their facet
// terms from the list columns (record_terms(): keyword, theme, format, externalId,
// type, country), the words of their AnyText fields, one more records version.
// The records replaced have lost their terms first (kDeleteTerms), so the new
// terms are inserted without ON CONFLICT (its arbitration is an index probe more
// per term); a term a record lists twice is one row (DISTINCT).
const std::string kPublish = std::string(
    "WITH fresh AS (INSERT INTO amis_records (") + kColumns + ") SELECT DISTINCT ON (id) " + kColumns +
    " FROM amis_records_stage ORDER BY id, seq DESC"
    " RETURNING id, type, country, keywords, themes, formats, \"externalIds\")\n"
    "INSERT INTO amis_record_terms (field, value, id) SELECT DISTINCT t.field, t.value, fresh.id FROM fresh CROSS JOIN LATERAL ("
    "SELECT 'keyword', jsonb_array_elements_text(fresh.keywords::jsonb) UNION ALL "
    "SELECT 'theme', jsonb_array_elements_text(fresh.themes::jsonb) UNION ALL "
    "SELECT 'format', jsonb_array_elements_text(fresh.formats::jsonb) UNION ALL "
    "SELECT 'externalId', jsonb_array_elements_text(fresh.\"externalIds\"::jsonb) UNION ALL "
    "SELECT 'type', fresh.type UNION ALL "
    "SELECT 'country', fresh.country WHERE fresh.country IS NOT NULL) AS t (field, value);\n"
    "INSERT INTO amis_record_words (word) SELECT DISTINCT w FROM amis_records_stage, "
    "unnest(string_to_array(new_words, ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n"
    "UPDATE amis_catalog_state SET records_version = records_version + 1, records_token = gen_random_uuid()::text;\n"
    "TRUNCATE amis_records_stage;";

// The records and terms of the staged ids, by the ids' list ($1) through the
// indexes. The terms' index is not unique, and a table filled in this transaction
// has no statistics: the planner then reads all the terms for a few thousand ids,
// at every publish (0.1 to 0.4 s each at 100,000 records, growing with the
// catalogue), so sequential scans are off for that one statement.
constexpr const char* kDeleteTerms = "DELETE FROM amis_record_terms WHERE id = ANY($1::text[])";
constexpr const char* kIndexOnly = "SET LOCAL enable_seqscan = off";
constexpr const char* kIndexOrNot = "SET LOCAL enable_seqscan TO DEFAULT";
constexpr const char* kDeleteRecords = "DELETE FROM amis_records WHERE id = ANY($1::text[])";

}  // namespace

PgRecordWriter::PgRecordWriter(Pool::Lease connection) : connection_(std::move(connection)), tx_(*connection_) {
  now_ = std::string(
      connection_->exec("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')").text(0, 0));
  connection_->exec(
      "CREATE TEMP TABLE amis_records_stage (seq bigint GENERATED ALWAYS AS IDENTITY, "
      "LIKE amis_records INCLUDING COMPRESSION, new_words text NOT NULL) ON COMMIT DROP");
}

PgRecordWriter::~PgRecordWriter() {
  // Abandoned: end the COPY with an error, so that the transaction rolls back.
  if (copying_ && PQputCopyEnd(connection_->handle(), "the catalogue write was abandoned") == 1)
    while (PGresult* rest = PQgetResult(connection_->handle())) PQclear(rest);
}

void PgRecordWriter::put(const catalog::Record& record) {
  if (!record.updated.empty()) return put(prepare_record(record));
  catalog::Record stamped = record;
  stamped.updated = now_;
  put(prepare_record(stamped));
}

void PgRecordWriter::put(const PreparedRecord& record) {
  if (!copying_) {
    connection_->copy_start(std::string("COPY amis_records_stage (") + kColumns + ", " + kStageColumns +
                            ") FROM STDIN");
    copying_ = true;
  }
  // The words AnyText looks substrings up in (catalog/any_text.hpp), by the tokenizer
  // of the stems the tsvector holds; each sent once per writer.
  std::string new_words;
  for (const auto& w : record.words) {
    if (!words_sent_.insert(w).second) continue;
    if (!new_words.empty()) new_words += ' ';
    new_words += w;
  }
  put_row(buffer_, record, new_words);
  staged_ids_.push_back(record.row.id);
  if (staged_ids_.size() >= kPublishRows) publish();
  else if (buffer_.size() >= kFlushBytes) flush();
}

void PgRecordWriter::flush() {
  connection_->copy_put({reinterpret_cast<const std::uint8_t*>(buffer_.data()), buffer_.size()});
  buffer_.clear();
}

void PgRecordWriter::publish() {
  if (staged_ids_.empty()) return;
  flush();
  copying_ = false;
  connection_->copy_end();
  Params ids;
  ids.texts(staged_ids_);
  connection_->exec(kIndexOnly);
  connection_->exec(kDeleteTerms, ids);
  connection_->exec(kIndexOrNot);
  connection_->exec(kDeleteRecords, ids);
  connection_->exec_script(kPublish);
  staged_ids_.clear();
}

bool PgRecordWriter::remove(std::string_view id) {
  publish();
  connection_->exec("DELETE FROM amis_record_terms WHERE id = $1", Params().text(id));
  if (connection_->exec("DELETE FROM amis_records WHERE id = $1", Params().text(id)).affected() == 0) return false;
  connection_->exec(
      "UPDATE amis_catalog_state SET records_version = records_version + 1, records_token = gen_random_uuid()::text");
  return true;
}

void PgRecordWriter::commit() {
  publish();
  tx_.commit();
}

}  // namespace amis::store::postgis
