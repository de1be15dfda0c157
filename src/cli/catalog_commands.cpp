#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "catalog/iso_schema.hpp"
#include "cli/commands.hpp"
#include "ingest/iso_import.hpp"
#include "store/open_store.hpp"

namespace amis::cli {

int catalog_import(const config::Config& config, const CatalogImport& command) {
  const catalog::IsoSchema schema(std::filesystem::path(config.static_dir) / "schemas");
  // The store's catalogue, GeoPackage or PostgreSQL (--store postgresql://...).
  const auto where = store_location(config);
  const auto features = store::open_features(where);
  const auto opened_catalog = store::open_catalog(where, *features);
  store::CatalogStore& catalog = *opened_catalog;
  ingest::IsoImportOptions options;
  for (const auto& s : command.sources) options.sources.emplace_back(s);
  options.threads = command.threads;
  const bool tty = isatty(fileno(stderr));
  const auto report = ingest::import_iso_documents(options, schema, catalog, [tty](std::int64_t done, std::int64_t total) {
    if (tty) std::fprintf(stderr, "\r%lld / %lld documents", static_cast<long long>(done), static_cast<long long>(total));
  });
  if (tty) std::fprintf(stderr, "\n");
  for (const auto& refused : report.refused)
    std::cerr << "refused " << refused.file.string() << ": " << refused.reason << "\n";
  const double rate = report.seconds > 0 ? static_cast<double>(report.imported) / report.seconds : 0;
  std::cout << report.imported << " records imported, " << report.refused.size() << " documents refused in "
            << report.seconds << " s (" << static_cast<long long>(rate) << " records/s); the catalogue holds "
            << catalog.size() << " records\n";
  return report.refused.empty() ? 0 : 2;
}

}  // namespace amis::cli
