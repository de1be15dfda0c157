#pragma once
// The portal's translations, read by the server too (issue 20): web/i18n/{en,zh,
// ja,ko}.json (labels, keys grouped by area, "a": {"b": "x"} named "a.b") and
// web/i18n/codes/{lang}.json (the code lists of the data: commodities, deposit
// types, statuses...), with web/i18n/property-lists.json naming the list each
// property's values come from. One source of truth for the portal and the
// server's HTML and PDF pages; translators edit those files only.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amis::core {

struct Language {
  const char* code;      // "en", "zh", "ja", "ko"
  const char* html_lang;  // BCP 47 for <html lang> and Content-Language
};

// The four languages, English first.
const std::vector<Language>& languages();
// The language of a code ("zh"), or nullptr.
const Language* language(std::string_view code);

// The language to answer in: `asked` (a `lang` parameter) when given, else the
// first of the Accept-Language header's ranges (by q, then order; "zh-CN" -> zh)
// that is one of the four, else English. @throws core::InvalidParameter for an
// `asked` that is none of the four.
const Language& choose_language(const std::string* asked, std::string_view accept_language);

using TextParams = std::vector<std::pair<std::string, std::string>>;

class Translations {
 public:
  // Reads the folder. @throws std::runtime_error when a file is missing or not
  // JSON objects of texts.
  static Translations load(const std::string& folder);

  // `key` in `lang` with its {placeholders} filled; English when the language
  // lacks it, the key itself when English does too.
  std::string text(std::string_view lang, const std::string& key, const TextParams& params = {}) const;
  // Whether English has the key.
  bool has(const std::string& key) const;
  // A property's value for display: translated by the property's code list (as
  // web/src/code-lists.ts does: whole, else each part of "a; b", "a, b", "a & b",
  // "a-b" when every part is known), else as stored.
  std::string code(std::string_view lang, std::string_view property, const std::string& value) const;
  // A property's title in the "property" list, else `fallback`.
  std::string property(std::string_view lang, const std::string& name, const std::string& fallback) const;

 private:
  using Map = std::map<std::string, std::string, std::less<>>;
  std::string list_value(std::string_view lang, const std::string& list, const std::string& value,
                         std::size_t from) const;
  const Map* codes(std::string_view lang, const std::string& list) const;

  std::map<std::string, Map, std::less<>> messages_;               // lang -> flattened key -> text
  std::map<std::string, std::map<std::string, Map>, std::less<>> lists_;  // lang -> list -> lower-case value -> text
  Map property_lists_;                                              // property -> list
};

}  // namespace amis::core
