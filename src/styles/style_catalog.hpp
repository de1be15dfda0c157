#pragma once
// The styles of each collection: "default" (by geometry type) and the named
// SLD styles kept in the store, read into render::Style on use.
#include <filesystem>
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
  // `symbol_directory`: where SLD ExternalGraphics are looked up.
  StyleCatalog(store::Store& store, std::filesystem::path symbol_directory)
      : store_(store), symbol_directory_(std::move(symbol_directory)) {}

  // "default" first, then the stored styles by name.
  std::vector<StyleSummary> list(const core::Collection& collection);

  // The style, or null when the collection has no style of that name. An empty
  // name or "default" is the default style; `index` picks its colour.
  std::shared_ptr<const render::Style> find(const core::Collection& collection, const std::string& name,
                                            std::size_t index = 0);

  // What identifies the style's current version (for tile caches): "default",
  // or the stored style's name and update time; empty when there is none.
  std::string version(const core::Collection& collection, const std::string& name);

  // Checks an SLD document for a collection and stores it under `name` (the
  // first UserStyle of the document is the style). Returns the stored style.
  // @throws core::InvalidParameter("sld", ...) for a document that is not a
  // valid style of the collection, or a name that is not a plain identifier.
  store::StoredStyle put(const core::Collection& collection, const std::string& name, const std::string& sld);

  const std::filesystem::path& symbol_directory() const { return symbol_directory_; }

 private:
  store::Store& store_;
  std::filesystem::path symbol_directory_;
};

inline constexpr const char* kStyleNameRule =
    "1 to 64 letters, digits, '_', '-' or '.', beginning with a letter or digit, without '..' or a final '.'";

// True for a style name that follows kStyleNameRule: a plain identifier, never
// a path step such as "..".
bool valid_style_name(std::string_view name);

}  // namespace amis::styles
