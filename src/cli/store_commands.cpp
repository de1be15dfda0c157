// `amis store copy FROM TO`: a whole store into another (store/store_copy.hpp).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "store/store_copy.hpp"

namespace amis::cli {
namespace {

store::StoreLocation location(const config::Config& config, const std::string& url) {
  auto where = store_location(config);
  where.location = url;
  where.replicas.clear();  // a copy reads and writes the primary
  return where;
}

bool same_store(const store::StoreLocation& a, const store::StoreLocation& b) {
  if (store::is_postgresql(a.location) || store::is_postgresql(b.location)) return a.location == b.location;
  std::error_code error;
  return std::filesystem::equivalent(a.location, b.location, error) || a.location == b.location;
}

}  // namespace

int store_copy(const config::Config& config, const StoreCopy& command) {
  const auto from = location(config, command.from);
  const auto to = location(config, command.to);
  if (same_store(from, to)) {
    std::cerr << "amis: cannot copy a store onto itself (" << store::describe(from) << ")\n";
    return 1;
  }
  if (!store::is_postgresql(from.location) && !store::store_exists(from)) {
    std::cerr << "amis: no store at " << store::describe(from) << "\n";
    return 1;
  }
  auto source = store::open_store(from);
  auto source_dump = store::open_dump(from, *source.features);
  if (command.replace) {
    store::remove_store(to);
  } else if (store::store_exists(to)) {
    auto probe = store::open_store(to);
    if (!store::open_dump(to, *probe.features)->empty()) {
      std::cerr << "amis: the target store " << store::describe(to)
                << " is not empty: give --replace to replace everything in it\n";
      return 1;
    }
  }
  auto target = store::open_store(to);
  auto target_dump = store::open_dump(to, *target.features);

  const auto start = std::chrono::steady_clock::now();
  const auto counts = store::copy_store({source, *source_dump, store::store_folder(from)},
                                        {target, *target_dump, store::store_folder(to)},
                                        [](const std::string& line) { std::cerr << line << "\n"; });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("copied %s to %s: %lld collections, %lld features, %lld rows of history, accounts and change sets, "
              "%lld catalogue records, %lld raster files in %.1f s\n",
              store::describe(from).c_str(), store::describe(to).c_str(), static_cast<long long>(counts.collections),
              static_cast<long long>(counts.features), static_cast<long long>(counts.rows),
              static_cast<long long>(counts.records), static_cast<long long>(counts.raster_files), seconds);
  return 0;
}

}  // namespace amis::cli
