#include "invest/summary_spec.hpp"

#include <stdexcept>

namespace amis::invest {
namespace {

std::vector<std::string> names(const toml::table& t, const char* key, const std::string& where) {
  std::vector<std::string> out;
  auto node = t.get(key);
  if (!node) return out;
  auto array = node->as_array();
  if (!array) throw std::runtime_error(where + ": '" + key + "' is a list of property names");
  for (const auto& n : *array) {
    auto name = n.value<std::string>();
    if (!name || name->empty()) throw std::runtime_error(where + ": '" + key + "' is a list of property names");
    out.push_back(*name);
  }
  return out;
}

}  // namespace

std::vector<SummarySpec> read_summaries(const toml::array& entries, const std::string& origin) {
  std::vector<SummarySpec> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string where = origin + ": summaries[" + std::to_string(i) + "]";
    const auto* t = entries[i].as_table();
    if (!t) throw std::runtime_error(where + " is not a table");
    SummarySpec s;
    s.id = (*t)["id"].value_or(std::string());
    s.title = (*t)["title"].value_or(std::string());
    s.collection = (*t)["collection"].value_or(std::string());
    s.note = (*t)["note"].value_or(std::string());
    s.absent = (*t)["absent"].value_or(std::string());
    if (s.id.empty() || s.title.empty() || s.collection.empty())
      throw std::runtime_error(where + " needs id, title and collection");
    const std::string kind = (*t)["kind"].value_or(std::string("table"));
    if (kind != "table" && kind != "series") throw std::runtime_error(where + ": kind is table or series");
    s.kind = kind == "series" ? SummaryKind::Series : SummaryKind::Table;
    s.group_by = names(*t, "group_by", where);
    s.sums = names(*t, "sum", where);
    if (s.group_by.empty()) throw std::runtime_error(where + " needs group_by");
    if (s.kind == SummaryKind::Series && (s.group_by.size() < 2 || s.sums.empty()))
      throw std::runtime_error(where + ": a series groups by its series' properties then the x axis, and sums a value");
    if (auto filter = (*t)["where"].as_table())
      for (const auto& [key, value] : *filter) {
        auto text = value.value<std::string>();
        if (!text) throw std::runtime_error(where + ": where's values are texts");
        s.where.push_back({std::string(key.str()), *text});
      }
    for (const auto& other : out)
      if (other.id == s.id) throw std::runtime_error(where + ": id " + s.id + " is used twice");
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<SummarySpec> load_summaries(const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  if (auto a = t["invest"]["summaries"].as_array()) return read_summaries(*a, path);
  if (auto a = t["summaries"].as_array()) return read_summaries(*a, path);
  throw std::runtime_error(path + ": no [[invest.summaries]]");
}

}  // namespace amis::invest
