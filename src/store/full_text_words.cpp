#include "store/full_text_words.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>

#include <sqlite3.h>

#include "catalog/english_stemmer.hpp"
#include "core/error.hpp"

namespace amis::store {
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

// FTS5's unicode61 tokenizer with kFtsTokenizer's arguments, from a private
// in-memory SQLite connection (any store backend tokenises alike), one per thread.
class Unicode61 {
 public:
  Unicode61() {
    if (sqlite3_open(":memory:", &db_) != SQLITE_OK) throw core::ServerError("SQLite cannot open a memory database");
    fts5_api* api = fts5_of(db_);
    void* user_data = nullptr;
    if (api->xFindTokenizer(api, "unicode61", &user_data, &tokenizer_) != SQLITE_OK)
      throw core::ServerError("FTS5 has no unicode61 tokenizer");
    const char* arguments[] = {"remove_diacritics", "2"};
    if (tokenizer_.xCreate(user_data, arguments, 2, &instance_) != SQLITE_OK)
      throw core::ServerError("FTS5's unicode61 tokenizer refused its arguments");
  }
  ~Unicode61() {
    if (instance_) tokenizer_.xDelete(instance_);
    sqlite3_close(db_);
  }
  Unicode61(const Unicode61&) = delete;
  Unicode61& operator=(const Unicode61&) = delete;

  std::vector<std::string> tokens(std::string_view text) {
    std::vector<std::string> out;
    tokenizer_.xTokenize(instance_, &out, FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()), collect);
    return out;
  }

 private:
  static int collect(void* context, int, const char* token, int size, int, int) {
    static_cast<std::vector<std::string>*>(context)->emplace_back(token, static_cast<std::size_t>(size));
    return SQLITE_OK;
  }
  sqlite3* db_ = nullptr;
  fts5_tokenizer tokenizer_{};
  Fts5Tokenizer* instance_ = nullptr;
};

Unicode61& unicode61() {
  thread_local Unicode61 tokenizer;
  return tokenizer;
}

}  // namespace

std::vector<std::string> full_text_tokens(std::string_view text) { return unicode61().tokens(text); }

std::vector<std::string> full_text_words(std::string_view text) {
  auto words = full_text_tokens(text);
  std::erase_if(words, [](const std::string& w) { return std::ranges::all_of(w, [](char c) { return c >= '0' && c <= '9'; }); });
  std::ranges::sort(words);
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

std::string stemmed_text(std::string_view text) {
  // Stems seen by this thread: a catalogue's words repeat from record to record, and a
  // stem costs a few suffix searches. Bounded: forgotten when full.
  constexpr std::size_t kMaxRemembered = 65536;
  thread_local std::unordered_map<std::string, std::string> stems;
  std::string out;
  for (auto& token : full_text_tokens(text)) {
    if (!out.empty()) out += ' ';
    if (const auto known = stems.find(token); known != stems.end()) {
      out += known->second;
      continue;
    }
    std::string stem = catalog::english_stem(token);
    out += stem;
    if (stems.size() >= kMaxRemembered) stems.clear();
    stems.emplace(std::move(token), std::move(stem));
  }
  return out;
}

}  // namespace amis::store
