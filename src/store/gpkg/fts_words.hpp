#pragma once
// The words of a text as the catalogue's FTS5 index tokenises it (unicode61,
// accents removed, lower case): what the store's word list (amis_record_words)
// keeps, so that AnyText finds the index words that contain a substring.
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

// The tokenizer arguments of amis_records_fts (catalog_rows.cpp) after its name.
inline constexpr const char* kFtsTokenizer = "unicode61 remove_diacritics 2";

// The distinct index words of `text`, leaving out those of digits alone (no
// AnyText part is made of digits only: catalog::any_text_index_parts).
// @throws core::ServerError when FTS5 or its tokenizer is not there.
std::vector<std::string> fts_words(sqlite::Database& db, std::string_view text);

}  // namespace amis::store::gpkg
