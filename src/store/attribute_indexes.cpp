#include "store/attribute_indexes.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "store/filter_compiler.hpp"

namespace amis::store {

std::vector<std::vector<std::string>> wanted_indexes(Store& store, const core::Collection& collection,
                                                     const IndexRules& rules) {
  std::vector<std::vector<std::string>> out;
  // An index whose first column is the property serves its filters too.
  auto add = [&out](std::vector<std::string> columns) {
    const bool covered = std::any_of(out.begin(), out.end(), [&](const auto& have) {
      return have == columns || (columns.size() == 1 && have.front() == columns.front());
    });
    if (!covered) out.push_back(std::move(columns));
  };
  for (const auto& columns : rules.declared) {
    for (const auto& name : columns)
      if (!collection.property(name))
        throw core::InvalidValue("indexes", "collection '" + collection.id + "' has no property '" + name +
                                                "' to index ([features.collections." + collection.id + "] indexes)");
    if (!columns.empty()) add(columns);
  }
  if (!rules.country_property.empty() && collection.property(rules.country_property))
    add({collection.property(rules.country_property)->name});
  for (const auto& p : collection.properties) {
    if (p.type != core::PropertyType::Text ||
        std::find(rules.documents.begin(), rules.documents.end(), p.name) != rules.documents.end())
      continue;
    const auto values = store.text_values(collection, p.name, rules.category_max);
    const bool codes = std::all_of(values.begin(), values.end(),
                                   [&](const std::string& v) { return v.size() <= rules.category_max_bytes; });
    if (!values.empty() && codes) add({p.name});
  }
  return out;
}

std::vector<std::vector<std::string>> ensure_attribute_indexes(Store& store, const core::Collection& collection,
                                                               const IndexRules& rules) {
  auto indexes = wanted_indexes(store, collection, rules);
  store.create_attribute_indexes(collection, indexes);
  return indexes;
}

IndexDefinition index_definition(const core::Collection& collection, const std::vector<std::string>& properties) {
  IndexDefinition index{"amis_" + collection.id, {}};
  for (const auto& property : properties) {
    const auto* p = collection.property(property);
    if (!p) throw core::InvalidValue("indexes", "collection '" + collection.id + "' has no property '" + property + "'");
    index.name += "_" + p->name;
    index.columns += (index.columns.empty() ? "" : ", ") + quote_identifier(p->name);
  }
  index.name += "_idx";
  return index;
}

std::string describe_indexes(const std::vector<std::vector<std::string>>& indexes) {
  std::string text;
  for (const auto& columns : indexes) {
    text += text.empty() ? "" : ", ";
    for (std::size_t i = 0; i < columns.size(); ++i) text += (i ? "+" : "") + columns[i];
  }
  return text.empty() ? "none" : text;
}

}  // namespace amis::store
