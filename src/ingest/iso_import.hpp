#pragma once
// Bulk ingest of ISO 19139 documents into the catalogue (`amis catalog import`):
// files are read and validated on several threads, and the valid records are
// written in one transaction of the catalogue store. A document that does not
// validate is reported with the schema's messages and skipped.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalog/iso_schema.hpp"
#include "store/catalog_store.hpp"

namespace amis::ingest {

struct IsoImportOptions {
  std::vector<std::filesystem::path> sources;  // files, or folders searched for *.xml
  unsigned threads = 0;                        // 0: one per processor
};

struct RefusedDocument {
  std::filesystem::path file;
  std::string reason;  // the schema's (or the reader's) messages
};

struct IsoImportReport {
  std::int64_t imported = 0;
  std::vector<RefusedDocument> refused;
  double seconds = 0;
};

// The ISO documents of the sources, in a stable order (folders sorted, recursively).
// @throws core::InvalidParameter for a source that does not exist.
std::vector<std::filesystem::path> iso_documents(const std::vector<std::filesystem::path>& sources);

// @throws core::ServerError when the store cannot write (nothing is then kept).
IsoImportReport import_iso_documents(const IsoImportOptions& options, const catalog::IsoSchema& schema,
                                     store::CatalogStore& catalog,
                                     const std::function<void(std::int64_t done, std::int64_t total)>& progress = {});

}  // namespace amis::ingest
