#pragma once
// CSW's csw:AnyText (OGC 07-006r1 table 1): a word that must occur, in any case,
// somewhere in a record's title, abstract, keywords or themes. The condition is a
// substring match (`%gold%` finds "Goldfield"); a store may narrow the records to
// test through its full-text index first (store/any_text_words.hpp), but this
// expression decides.
#include <string>
#include <string_view>
#include <vector>

#include "core/expression.hpp"

namespace amis::catalog {

// The text fields AnyText searches (catalogue queryables).
inline constexpr std::string_view kAnyTextFields[] = {"title", "description", "keywords", "themes"};

// title, description, keywords or themes contains `word` (case-insensitive LIKE,
// its % _ \ matched as themselves).
core::Expression any_text_condition(std::string_view word);

// The parts of `word` a full-text index can find it by: its runs of ASCII letters
// and digits, lower-cased, of 3 characters or more and not digits alone. A
// record containing `word` has, for each part, an index token (a word of the
// index's own tokenising: letters and digits of any script, lower-cased, accents
// removed) that contains the part.
std::vector<std::string> any_text_index_parts(std::string_view word);

}  // namespace amis::catalog
