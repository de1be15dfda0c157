// `amis style add|list|remove|show`: the named SLD styles of a collection.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "styles/style_catalog.hpp"

namespace amis::cli {
namespace {

core::Collection require_collection(store::Store& store, const std::string& id) {
  auto c = store.collection(id);
  if (!c) throw core::NotFound("no collection '" + id + "'");
  return *c;
}

}  // namespace

int style_command(const config::Config& config, const StyleCommand& command) {
  const auto where = store_location(config);
  if (!store::store_exists(where)) {
    std::cerr << "amis: no store at " << store::describe(where) << "\n";
    return 1;
  }
  const auto opened = store::open_features(where);
  store::Store& store = *opened;
  styles::StyleCatalog catalog(store, std::filesystem::path(config.static_dir) / "symbols");
  const auto collection = require_collection(store, command.collection);
  if (command.action == "add") {
    std::ifstream in(command.file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + command.file);
    std::stringstream sld;
    sld << in.rdbuf();
    const auto stored = catalog.put(collection, command.name, sld.str());
    std::cout << stored.collection << "\t" << stored.name << "\t" << stored.title << "\n";
    return 0;
  }
  if (command.action == "list") {
    for (const auto& s : catalog.list(collection)) std::cout << s.name << "\t" << s.title << "\n";
    return 0;
  }
  if (command.action == "show") {
    auto s = store.style(collection.id, command.name);
    if (!s) throw core::NotFound("no style '" + command.name + "' for '" + collection.id + "'");
    std::cout << s->sld;
    return 0;
  }
  if (command.action == "remove") {
    if (!store.remove_style(collection.id, command.name))
      throw core::NotFound("no style '" + command.name + "' for '" + collection.id + "'");
    return 0;
  }
  throw std::runtime_error("unknown style action '" + command.action + "'");
}

}  // namespace amis::cli
