#include "core/translations.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace amis::core {
namespace {

using nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot be read (the portal's translations, web/i18n)");
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (!doc.is_object()) throw std::runtime_error(path + ": not a JSON object");
  return doc;
}

// "a": {"b": "x"} -> "a.b": "x".
void flatten(const json& messages, const std::string& prefix, std::map<std::string, std::string, std::less<>>& out,
             const std::string& path) {
  for (const auto& [key, value] : messages.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_string())
      out[name] = value.get<std::string>();
    else if (value.is_object())
      flatten(value, name, out, path);
    else
      throw std::runtime_error(path + ": " + name + " is neither a text nor a group");
  }
}

// Separators of joined values, loosest first (web/src/code-lists.ts).
enum class Joint { List, And, Hyphen };
struct Separator {
  Joint kind;
  std::vector<std::string> parts(const std::string& value) const {
    std::vector<std::string> out;
    if (kind == Joint::And) {  // "\s+&\s+"
      std::size_t start = 0, at;
      while ((at = value.find(" & ", start)) != std::string::npos) {
        out.push_back(trim(value.substr(start, at - start)));
        start = at + 3;
      }
      out.push_back(trim(value.substr(start)));
      return out;
    }
    const char mark = kind == Joint::Hyphen ? '-' : ';';
    return split(value, mark);
  }
  static std::vector<std::string> split(const std::string& value, char mark) {
    std::vector<std::string> out;
    std::size_t start = 0, at;
    while ((at = value.find(mark, start)) != std::string::npos) {
      out.push_back(trim(value.substr(start, at - start)));
      start = at + 1;
    }
    out.push_back(trim(value.substr(start)));
    return out;
  }
};

std::string joiner(Joint kind, std::string_view lang) {
  if (kind == Joint::Hyphen) return "-";
  if (lang == "zh" || lang == "ja") return "\u3001";
  return kind == Joint::And ? " & " : ", ";
}

}  // namespace

const std::vector<Language>& languages() {
  static const std::vector<Language> all = {{"en", "en"}, {"zh", "zh-Hans"}, {"ja", "ja"}, {"ko", "ko"}};
  return all;
}

const Language* language(std::string_view code) {
  for (const auto& l : languages())
    if (code == l.code) return &l;
  return nullptr;
}

const Language& choose_language(const std::string* asked, std::string_view accept_language) {
  if (asked) {
    if (const auto* l = language(*asked)) return *l;
    throw InvalidParameter("lang", "the languages are en, zh, ja and ko");
  }
  // RFC 9110 12.5.4: ranges with optional ;q= weights; at most 32 ranges are read.
  const Language* best = nullptr;
  double best_q = 0;
  std::size_t start = 0;
  for (int n = 0; n < 32 && start < accept_language.size(); ++n) {
    const auto comma = accept_language.find(',', start);
    const std::string range(accept_language.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                          : comma - start));
    start = comma == std::string_view::npos ? accept_language.size() : comma + 1;
    const auto semi = range.find(';');
    const std::string tag = lower(trim(range.substr(0, semi)));
    double q = 1;
    if (semi != std::string::npos) {
      const std::string weight = trim(range.substr(semi + 1));
      if (weight.size() < 2 || weight[0] != 'q' || weight[1] != '=') continue;
      char* end = nullptr;
      q = std::strtod(weight.c_str() + 2, &end);
      if (end == weight.c_str() + 2 || !(q >= 0 && q <= 1)) continue;
    }
    const std::string primary = tag.substr(0, tag.find_first_of("-_"));
    const auto* l = language(primary);
    if (l && q > best_q) {
      best = l;
      best_q = q;
    }
  }
  return best ? *best : languages().front();
}

Translations Translations::load(const std::string& folder) {
  Translations t;
  for (const auto& l : languages()) {
    const std::string path = folder + "/" + l.code + ".json";
    flatten(read_json(path), "", t.messages_[l.code], path);
    const std::string codes_path = folder + "/codes/" + l.code + ".json";
    const json codes = read_json(codes_path);
    auto& lists = t.lists_[l.code];
    for (const auto& [list, entries] : codes.items()) {
      if (!entries.is_object()) throw std::runtime_error(codes_path + ": " + list + " is not a list");
      for (const auto& [value, text] : entries.items()) {
        if (!text.is_string()) throw std::runtime_error(codes_path + ": " + list + "." + value + " is not a text");
        lists[list][lower(value)] = text.get<std::string>();
      }
    }
  }
  const std::string path = folder + "/property-lists.json";
  const json lists = read_json(path);
  for (const auto& [property, list] : lists.items()) {
    if (!list.is_string()) throw std::runtime_error(path + ": " + property + " does not name a list");
    t.property_lists_[property] = list.get<std::string>();
  }
  return t;
}

bool Translations::has(const std::string& key) const {
  auto en = messages_.find("en");
  return en != messages_.end() && en->second.count(key) > 0;
}

std::string Translations::text(std::string_view lang, const std::string& key, const TextParams& params) const {
  std::string out = key;
  for (std::string_view l : {lang, std::string_view("en")}) {
    auto m = messages_.find(l);
    if (m == messages_.end()) continue;
    auto it = m->second.find(key);
    if (it != m->second.end()) {
      out = it->second;
      break;
    }
  }
  for (const auto& [name, value] : params) {
    const std::string mark = "{" + name + "}";
    for (std::size_t at = out.find(mark); at != std::string::npos; at = out.find(mark, at + value.size()))
      out.replace(at, mark.size(), value);
  }
  return out;
}

const Translations::Map* Translations::codes(std::string_view lang, const std::string& list) const {
  auto l = lists_.find(lang);
  if (l == lists_.end()) return nullptr;
  auto it = l->second.find(list);
  return it == l->second.end() ? nullptr : &it->second;
}

std::string Translations::list_value(std::string_view lang, const std::string& list, const std::string& value,
                                     std::size_t from) const {
  const auto* known = codes(lang, list);
  if (!known) return "";
  if (auto it = known->find(lower(trim(value))); it != known->end()) return it->second;
  static const Separator separators[] = {{Joint::List}, {Joint::List}, {Joint::And}, {Joint::Hyphen}};
  for (std::size_t i = from; i < 4; ++i) {
    const auto parts = i == 1 ? Separator::split(value, ',') : separators[i].parts(value);
    if (parts.size() < 2) continue;
    std::string out;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const std::string part = list_value(lang, list, parts[k], i);
      if (part.empty()) return "";
      out += (k ? joiner(separators[i].kind, lang) : "") + part;
    }
    return out;
  }
  return "";
}

std::string Translations::code(std::string_view lang, std::string_view property, const std::string& value) const {
  auto list = property_lists_.find(property);
  if (list == property_lists_.end() || value.empty()) return value;
  const std::string out = list_value(lang, list->second, value, 0);
  return out.empty() ? value : out;
}

std::string Translations::property(std::string_view lang, const std::string& name, const std::string& fallback) const {
  const auto* known = codes(lang, "property");
  if (!known) return fallback;
  auto it = known->find(lower(name));
  return it == known->end() ? fallback : it->second;
}

}  // namespace amis::core
