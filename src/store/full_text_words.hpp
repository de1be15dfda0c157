#pragma once
// The words of a catalogue text as both stores' full text reads them: SQLite
// FTS5's unicode61 tokenizer (accents removed, lower case), each word then
// stemmed by catalog::english_stem. The GeoPackage store indexes the stemmed
// text in FTS5 (over the same tokenizer), the PostGIS store in a tsvector of the
// 'simple' configuration: one stemming for both, so that both find the same
// records. The unstemmed words are what the word list (amis_record_words) keeps,
// so that AnyText finds the index words that contain a substring.
#include <string>
#include <string_view>
#include <vector>

namespace amis::store {

// The tokenizer arguments of the GeoPackage's amis_records_fts after its name.
inline constexpr const char* kFtsTokenizer = "unicode61 remove_diacritics 2";

// The words of `text` in order, as kFtsTokenizer reads them.
// @throws core::ServerError when FTS5 or its tokenizer is not there.
std::vector<std::string> full_text_tokens(std::string_view text);

// The distinct words of `text`, leaving out those of digits alone (no AnyText
// part is made of digits only: catalog::any_text_index_parts).
std::vector<std::string> full_text_words(std::string_view text);

// The stems of the words of `text` in order, separated by spaces: what the
// stores index, and what a searched word becomes before it is looked up.
std::string stemmed_text(std::string_view text);

}  // namespace amis::store
