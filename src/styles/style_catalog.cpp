#include "styles/style_catalog.hpp"

namespace amis::styles {

std::vector<StyleSummary> StyleCatalog::list(const core::Collection& collection) {
  return {{"default", "Default style", "Drawn by geometry type: " + collection.geometry_type}};
}

std::shared_ptr<const render::Style> StyleCatalog::find(const core::Collection& collection, const std::string& name,
                                                        std::size_t index) {
  if (name.empty() || name == "default")
    return std::make_shared<const render::Style>(render::default_style(collection, index));
  return nullptr;
}

}  // namespace amis::styles
