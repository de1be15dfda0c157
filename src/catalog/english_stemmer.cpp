#include "catalog/english_stemmer.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace amis::catalog {
namespace {

// The steps below follow the published description: its names (R1, R2, short
// syllable, short word), its suffix lists and, where a step finds the longest
// suffix of a list, acting on that suffix only (a shorter one is not tried when
// the longest one's condition fails).

bool vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

bool ends_with(const std::string& w, std::string_view s) { return w.size() >= s.size() && w.ends_with(s); }

// The longest of `suffixes` that `w` ends with (empty when none).
template <std::size_t N>
std::string_view longest_suffix(const std::string& w, const std::array<std::string_view, N>& suffixes) {
  std::string_view best;
  for (auto s : suffixes)
    if (s.size() > best.size() && ends_with(w, s)) best = s;
  return best;
}

void replace_end(std::string& w, std::size_t suffix_size, std::string_view by) {
  w.resize(w.size() - suffix_size);
  w += by;
}

// Whether w[0, end) ends in a short syllable: a vowel followed by a non-vowel
// other than w, x or Y and preceded by a non-vowel, or a vowel at the beginning
// of the word followed by a non-vowel.
bool short_syllable_before(const std::string& w, std::size_t end) {
  if (end >= 3) {
    const char last = w[end - 1];
    return !vowel(last) && last != 'w' && last != 'x' && last != 'Y' && vowel(w[end - 2]) && !vowel(w[end - 3]);
  }
  return end == 2 && vowel(w[0]) && !vowel(w[1]);
}

// The start of the region after the first non-vowel that follows a vowel, from `from`.
std::size_t region_after(const std::string& w, std::size_t from) {
  std::size_t i = from;
  while (i < w.size() && !vowel(w[i])) ++i;
  while (i < w.size() && vowel(w[i])) ++i;
  return i < w.size() ? i + 1 : w.size();
}

struct Regions {
  std::size_t r1;
  std::size_t r2;
};

Regions mark_regions(const std::string& w) {
  std::size_t r1 = 0;
  for (std::string_view prefix : {"gener", "commun", "arsen"})
    if (w.starts_with(prefix)) r1 = prefix.size();
  if (r1 == 0) r1 = region_after(w, 0);
  return {r1, region_after(w, r1)};
}

bool in(std::size_t start, std::size_t region) { return start >= region; }

// Words with a stem of their own (exception1).
std::optional<std::string_view> exceptional_form(std::string_view w) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kForms = {{
      {"skis", "ski"},   {"skies", "sky"},    {"dying", "die"},   {"lying", "lie"},     {"tying", "tie"},
      {"idly", "idl"},   {"gently", "gentl"}, {"ugly", "ugli"},   {"early", "earli"},   {"only", "onli"},
      {"singly", "singl"}, {"sky", "sky"},    {"news", "news"},   {"howe", "howe"},     {"atlas", "atlas"},
      {"cosmos", "cosmos"}, {"bias", "bias"}, {"andes", "andes"},
  }};
  for (const auto& [word, stem] : kForms)
    if (word == w) return stem;
  return std::nullopt;
}

// Words left as they are after Step 1a (exception2).
bool invariant_after_1a(std::string_view w) {
  static constexpr std::array<std::string_view, 8> kWords = {"inning", "outing",  "canning", "herring",
                                                              "earring", "proceed", "exceed",  "succeed"};
  return std::ranges::find(kWords, w) != kWords.end();
}

void prelude(std::string& w) {
  if (w.front() == '\'') w.erase(0, 1);
  for (std::size_t i = 0; i < w.size(); ++i)
    if (w[i] == 'y' && (i == 0 || vowel(w[i - 1]))) w[i] = 'Y';
}

void step_0(std::string& w) {
  static constexpr std::array<std::string_view, 3> kSuffixes = {"'", "'s", "'s'"};
  w.resize(w.size() - longest_suffix(w, kSuffixes).size());
}

void step_1a(std::string& w) {
  static constexpr std::array<std::string_view, 6> kSuffixes = {"sses", "ied", "ies", "s", "us", "ss"};
  const auto s = longest_suffix(w, kSuffixes);
  if (s == "sses") {
    replace_end(w, 4, "ss");
  } else if (s == "ied" || s == "ies") {
    replace_end(w, 3, w.size() > 4 ? "i" : "ie");
  } else if (s == "s") {
    // a vowel in the part before, not immediately before the s
    if (w.size() >= 3 && std::any_of(w.begin(), w.end() - 2, vowel)) w.pop_back();
  }
}

void step_1b(std::string& w, const Regions& r) {
  static constexpr std::array<std::string_view, 6> kSuffixes = {"eed", "eedly", "ed", "edly", "ing", "ingly"};
  const auto s = longest_suffix(w, kSuffixes);
  if (s.empty()) return;
  const std::size_t start = w.size() - s.size();
  if (s == "eed" || s == "eedly") {
    if (in(start, r.r1)) replace_end(w, s.size(), "ee");
    return;
  }
  if (!std::any_of(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(start), vowel)) return;
  w.resize(start);
  if (ends_with(w, "at") || ends_with(w, "bl") || ends_with(w, "iz")) {
    w += 'e';
  } else if (w.size() >= 2 && w.back() == w[w.size() - 2] &&
             std::string_view("bdfgmnprt").find(w.back()) != std::string_view::npos) {
    w.pop_back();
  } else if (w.size() == r.r1 && short_syllable_before(w, w.size())) {
    w += 'e';  // a short word
  }
}

void step_1c(std::string& w) {
  if (w.size() > 2 && (w.back() == 'y' || w.back() == 'Y') && !vowel(w[w.size() - 2])) w.back() = 'i';
}

struct Rule {
  std::string_view suffix;
  std::string_view replacement;
};

// The longest suffix of `rules` that `w` ends with, or nullptr.
template <std::size_t N>
const Rule* longest_rule(const std::string& w, const std::array<Rule, N>& rules) {
  const Rule* best = nullptr;
  for (const auto& rule : rules)
    if ((!best || rule.suffix.size() > best->suffix.size()) && ends_with(w, rule.suffix)) best = &rule;
  return best;
}

bool valid_li_ending(char c) { return std::string_view("cdeghkmnrt").find(c) != std::string_view::npos; }

void step_2(std::string& w, const Regions& r) {
  static constexpr std::array<Rule, 24> kRules = {{
      {"tional", "tion"}, {"enci", "ence"},   {"anci", "ance"},  {"abli", "able"},    {"entli", "ent"},
      {"izer", "ize"},    {"ization", "ize"}, {"ational", "ate"}, {"ation", "ate"},   {"ator", "ate"},
      {"alism", "al"},    {"aliti", "al"},    {"alli", "al"},    {"fulness", "ful"},  {"ousli", "ous"},
      {"ousness", "ous"}, {"iveness", "ive"}, {"iviti", "ive"},  {"biliti", "ble"},   {"bli", "ble"},
      {"ogi", "og"},      {"fulli", "ful"},   {"lessli", "less"}, {"li", ""},
  }};
  const Rule* rule = longest_rule(w, kRules);
  if (!rule) return;
  const std::size_t start = w.size() - rule->suffix.size();
  if (!in(start, r.r1)) return;
  if (rule->suffix == "ogi" && (start == 0 || w[start - 1] != 'l')) return;
  if (rule->suffix == "li" && (start == 0 || !valid_li_ending(w[start - 1]))) return;
  replace_end(w, rule->suffix.size(), rule->replacement);
}

void step_3(std::string& w, const Regions& r) {
  static constexpr std::array<Rule, 9> kRules = {{
      {"tional", "tion"}, {"ational", "ate"}, {"alize", "al"}, {"icate", "ic"}, {"iciti", "ic"},
      {"ical", "ic"},     {"ful", ""},        {"ness", ""},    {"ative", ""},
  }};
  const Rule* rule = longest_rule(w, kRules);
  if (!rule) return;
  const std::size_t start = w.size() - rule->suffix.size();
  if (!in(start, r.r1)) return;
  if (rule->suffix == "ative" && !in(start, r.r2)) return;
  replace_end(w, rule->suffix.size(), rule->replacement);
}

void step_4(std::string& w, const Regions& r) {
  static constexpr std::array<std::string_view, 18> kSuffixes = {
      "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
      "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"};
  const auto s = longest_suffix(w, kSuffixes);
  if (s.empty()) return;
  const std::size_t start = w.size() - s.size();
  if (!in(start, r.r2)) return;
  if (s == "ion" && (start == 0 || (w[start - 1] != 's' && w[start - 1] != 't'))) return;
  w.resize(start);
}

void step_5(std::string& w, const Regions& r) {
  if (w.empty()) return;
  const std::size_t start = w.size() - 1;
  if (w.back() == 'e') {
    if (in(start, r.r2) || (in(start, r.r1) && !short_syllable_before(w, start))) w.pop_back();
  } else if (w.back() == 'l') {
    if (in(start, r.r2) && start > 0 && w[start - 1] == 'l') w.pop_back();
  }
}

bool stemmable(std::string_view word) {
  return std::ranges::all_of(word, [](char c) { return (c >= 'a' && c <= 'z') || c == '\''; });
}

}  // namespace

std::string english_stem(std::string_view word) {
  if (word.size() < 3 || !stemmable(word)) return std::string(word);
  if (const auto form = exceptional_form(word)) return std::string(*form);
  std::string w(word);
  prelude(w);
  if (w.empty()) return w;
  const Regions r = mark_regions(w);
  step_0(w);
  step_1a(w);
  if (!invariant_after_1a(w)) {
    step_1b(w, r);
    step_1c(w);
    step_2(w, r);
    step_3(w, r);
    step_4(w, r);
    step_5(w, r);
  }
  std::ranges::replace(w, 'Y', 'y');
  return w;
}

}  // namespace amis::catalog
