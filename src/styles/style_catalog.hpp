#pragma once
// The styles of each collection: "default" (by geometry type) and the named
// SLD styles kept in the store, read into render::Style on use.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "render/style.hpp"
#include "store/store.hpp"

namespace amis::styles {

struct StyleSummary {
  std::string name;
  std::string title;
  std::string abstract;
};

class StyleCatalog {
 public:
  explicit StyleCatalog(store::Store& store) : store_(store) {}

  // "default" first, then the stored styles by name.
  std::vector<StyleSummary> list(const core::Collection& collection);

  // The style, or null when the collection has no style of that name. An empty
  // name or "default" is the default style; `index` picks its colour.
  std::shared_ptr<const render::Style> find(const core::Collection& collection, const std::string& name,
                                            std::size_t index = 0);

 private:
  store::Store& store_;
};

}  // namespace amis::styles
