#pragma once
// `amis store copy FROM TO` (issue 14): a whole store into another, either
// backend to either, losslessly — collections with their features under the
// same ids and their attribute indexes, feature versions (so asOf and history
// answer the same), change sets with their changes, state and comments, the
// audit log, accounts (password hashes as stored, tokens, login sessions,
// failed-login counters), styles, raster layers (and their files when the
// stores' folders differ), the catalogue's records, and every id sequence and
// data version (each collection's `updated`, which tile caches are keyed by).
//
// Features stream from one store into the other's CollectionWriter (COPY on
// PostgreSQL) one at a time; every other table streams row by row through
// StoreDump. Memory stays flat whatever the size of the store.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "store/open_store.hpp"
#include "store/store_dump.hpp"

namespace amis::store {

// One side of a copy: the store's interfaces, its raw tables and its folder.
struct CopyEnd {
  OpenedStore& store;
  StoreDump& dump;
  std::filesystem::path folder;  // store_folder(): rasters/ lives there
};

struct CopyCounts {
  std::int64_t collections = 0;
  std::int64_t features = 0;
  std::int64_t rows = 0;     // of the tables in dump_tables()
  std::int64_t records = 0;  // catalogue records
  std::int64_t raster_files = 0;
};

// Progress lines for the operator ("collection mines: 12,345 features").
using CopyProgress = std::function<void(const std::string&)>;

// Copies everything in `from` into `to`, which should be empty (the caller
// checks). A copy that fails part way leaves `to` partly written.
// @throws what the stores throw (ServerError, the backend's errors),
// std::filesystem::filesystem_error when a raster file cannot be copied.
CopyCounts copy_store(CopyEnd from, CopyEnd to, const CopyProgress& progress);

}  // namespace amis::store
