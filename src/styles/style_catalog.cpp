#include "styles/style_catalog.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "styles/sld_parser.hpp"

namespace amis::styles {

bool valid_style_name(std::string_view name) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (name.empty() || name.size() > 64 || !alnum(name.front()) || name.back() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;  // never a path step, however it is used
  return std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '_' || c == '-' || c == '.'; });
}

std::vector<StyleSummary> StyleCatalog::list(const core::Collection& collection) {
  std::vector<StyleSummary> out = {{"default", "Default style", "Drawn by geometry type: " + collection.geometry_type}};
  for (auto& s : store_.styles(collection.id)) out.push_back({s.name, s.title, s.abstract});
  return out;
}

std::shared_ptr<const render::Style> StyleCatalog::find(const core::Collection& collection, const std::string& name,
                                                        std::size_t index) {
  if (name.empty() || name == "default")
    return std::make_shared<const render::Style>(render::default_style(collection, index));
  if (!valid_style_name(name)) return nullptr;
  auto stored = store_.style(collection.id, name);
  if (!stored) return nullptr;
  // Checked when stored; read again because the collection's properties may
  // have changed since (a re-import): a style that no longer fits is refused.
  auto styles = parse_sld_for(stored->sld, collection, symbol_directory_);
  auto style = std::make_shared<render::Style>(std::move(styles.front()));
  style->name = stored->name;
  return style;
}

std::string StyleCatalog::version(const core::Collection& collection, const std::string& name) {
  if (name.empty() || name == "default") return "default";
  if (!valid_style_name(name)) return "";
  auto stored = store_.style(collection.id, name);
  return stored ? stored->name + "@" + stored->updated : "";
}

store::StoredStyle StyleCatalog::put(const core::Collection& collection, const std::string& name,
                                     const std::string& sld) {
  if (name == "default")
    throw core::InvalidParameter("styleId", "'default' is the style drawn by geometry type; choose another name");
  if (!valid_style_name(name))
    throw core::InvalidParameter("styleId", "'" + name.substr(0, 80) + "' is not a style name: " + kStyleNameRule);
  const auto styles = parse_sld_for(sld, collection, symbol_directory_);
  store::StoredStyle stored{collection.id, name, styles.front().title, styles.front().abstract, sld, ""};
  if (stored.title.empty()) stored.title = name;
  store_.put_style(stored);
  return *store_.style(collection.id, name);
}

}  // namespace amis::styles
