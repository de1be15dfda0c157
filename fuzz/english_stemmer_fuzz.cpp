#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/english_stemmer.hpp"
#include "store/full_text_words.hpp"

// The stemmer on any bytes, and the stores' stemmed text of them: no crash, a
// stem never longer than its word, a word of letters never stemmed to nothing
// and never to anything but letters.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto stem = amis::catalog::english_stem(text);
  if (stem.size() > text.size()) __builtin_trap();
  const bool letters = std::ranges::all_of(text, [](char c) { return c >= 'a' && c <= 'z'; });
  if (letters && !text.empty() && (stem.empty() || !std::ranges::all_of(stem, [](char c) { return c >= 'a' && c <= 'z'; })))
    __builtin_trap();
  if (size <= 4096) amis::store::stemmed_text(text);
  return 0;
}
