#pragma once
// Grids (issue 17) go through the same change sets as features: a member
// state's upload replacing a coverage's file is a change set naming
// "coverage:<id>" where others name their collection, holding one Replace
// change whose `base` is the file the coverage had when the grid was uploaded
// and whose `after.properties` describe the uploaded grid, already checked and
// written as a COG beside the coverage's file (not served until approved):
//   {"grid": "<file name>", "width", "height", "driver", "crs", "extent": [4],
//    "bands": [{"name", "unit", "description", "data_type", "nodata", "min", "max"}]}
// Approving points the coverage at that file; the file it replaces is kept, so
// every approved grid stays a version of the coverage.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edit/change_set.hpp"

namespace amis::edit {

inline constexpr std::string_view kGridChangeSets = "coverage:";
inline bool is_grid(const ChangeSet& change_set) { return change_set.collection.starts_with(kGridChangeSets); }
inline std::string grid_coverage(const ChangeSet& change_set) {
  return change_set.collection.substr(kGridChangeSets.size());
}

// One version of a coverage's grid, oldest first: number 0 is the grid as
// added (`amis raster add`), each later one an approved upload.
struct GridVersion {
  std::int64_t number = 0;
  std::optional<std::int64_t> change_set;
  std::string author;
  std::string time;  // the approval, RFC 3339; empty for version 0
  std::string file;  // its file name in the store's rasters folder
  bool current = false;
};

}  // namespace amis::edit
