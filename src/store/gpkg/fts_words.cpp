#include "store/gpkg/fts_words.hpp"

#include <algorithm>
#include <memory>

#include <sqlite3.h>

#include "core/error.hpp"

namespace amis::store::gpkg {
namespace {

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(s, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(s);
  }
  sqlite3_finalize(s);
  if (!api) throw core::ServerError("SQLite has no FTS5");
  return api;
}

int collect(void* context, int, const char* token, int size, int, int) {
  auto& words = *static_cast<std::vector<std::string>*>(context);
  const std::string_view word(token, static_cast<std::size_t>(size));
  if (!std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; })) words.emplace_back(word);
  return SQLITE_OK;
}

}  // namespace

std::vector<std::string> fts_words(sqlite::Database& db, std::string_view text) {
  fts5_api* api = fts5_of(db.handle());
  void* user_data = nullptr;
  fts5_tokenizer tokenizer{};
  if (api->xFindTokenizer(api, "unicode61", &user_data, &tokenizer) != SQLITE_OK)
    throw core::ServerError("FTS5 has no unicode61 tokenizer");
  const char* arguments[] = {"remove_diacritics", "2"};
  Fts5Tokenizer* instance = nullptr;
  if (tokenizer.xCreate(user_data, arguments, 2, &instance) != SQLITE_OK)
    throw core::ServerError("FTS5's unicode61 tokenizer refused its arguments");
  const std::unique_ptr<Fts5Tokenizer, void (*)(Fts5Tokenizer*)> owned(instance, tokenizer.xDelete);
  std::vector<std::string> words;
  tokenizer.xTokenize(instance, &words, FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()), collect);
  std::ranges::sort(words);
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

}  // namespace amis::store::gpkg
