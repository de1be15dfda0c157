#include "store/collection_id.hpp"

#include <regex>

namespace amis::store {

bool valid_collection_id(const std::string& id) {
  static const std::regex pattern("[A-Za-z][A-Za-z0-9_-]{0,63}");
  return std::regex_match(id, pattern) && !id.starts_with("gpkg_") && !id.starts_with("rtree_") &&
         !id.starts_with("amis_") && !id.starts_with("sqlite_");
}

}  // namespace amis::store
