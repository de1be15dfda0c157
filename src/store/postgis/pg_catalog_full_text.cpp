#include <string>

#include "store/catalog_row.hpp"
#include "store/full_text_words.hpp"
#include "store/postgis/pg_catalog_schema.hpp"
#include "store/postgis/pg_connection.hpp"

namespace amis::store::postgis {

void migrate_catalog_full_text(Connection& connection) {
  if (connection.exec("SELECT full_text_version FROM amis_catalog_state").integer(0, 0) >= kFullTextVersion) return;
  // Records in pages of their ids, so that memory stays bounded whatever the size.
  std::string after;
  for (;;) {
    const auto page = connection.exec("SELECT id, document FROM amis_records WHERE id > $1 ORDER BY id LIMIT 500",
                                      Params().text(after));
    if (page.rows() == 0) break;
    for (int i = 0; i < page.rows(); ++i) {
      const RecordRow row = record_row(record_from_document(page.text(i, 1)));
      connection.exec(
          "UPDATE amis_records SET stem_title = $2, stem_keywords = $3, stem_description = $4, stem_other = $5 "
          "WHERE id = $1",
          Params()
              .text(row.id)
              .text(stemmed_text(row.title))
              .text(stemmed_text(row.keyword_text))
              .text(stemmed_text(row.description))
              .text(stemmed_text(row.other_text)));
    }
    after = std::string(page.text(page.rows() - 1, 0));
  }
  // The q= pages may change: the records' version and token too (their pages' ETags).
  connection.exec(
      "UPDATE amis_catalog_state SET full_text_version = $1, records_version = records_version + 1, "
      "records_token = gen_random_uuid()::text",
      Params().integer(kFullTextVersion));
}

}  // namespace amis::store::postgis
