#pragma once
// The English stemmer of the catalogue's full text: the Porter2 ("Snowball
// English") algorithm as published at snowballstem.org/algorithms/english,
// written here from that description. Both stores index and search the stems it
// gives (store/full_text_stems.hpp), so that `q=deposit` finds "deposits" the
// same way in SQLite FTS5 and in a PostgreSQL tsvector.
#include <string>
#include <string_view>

namespace amis::catalog {

// The stem of one lower-case word. Only words of the ASCII letters a-z (and
// apostrophes) are stemmed; any other word (digits, upper case, non-ASCII) comes
// back unchanged, as do words of fewer than three letters.
std::string english_stem(std::string_view word);

}  // namespace amis::catalog
