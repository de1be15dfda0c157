#pragma once
// The GeoPackage store's own tables row by row (store/store_dump.hpp), for
// `amis store copy`, on a connection of its own.
#include <memory>
#include <string>

#include "store/sqlite/database.hpp"
#include "store/store_dump.hpp"

namespace amis::store::gpkg {

class GpkgDump final : public StoreDump {
 public:
  // Opens the store at `path` (its tables exist: open_store made them).
  explicit GpkgDump(const std::string& path);

  void read(const DumpTable& table, RowSink& sink) override;
  std::unique_ptr<TableLoader> load(const DumpTable& table) override;
  std::int64_t last_id(const DumpTable& table) override;
  void set_last_id(const DumpTable& table, std::int64_t id) override;
  std::int64_t last_feature_id(const core::Collection& collection) override;
  void set_last_feature_id(const core::Collection& collection, std::int64_t id) override;
  void restore_collection(const core::Collection& collection) override;
  std::vector<std::vector<std::string>> attribute_indexes(const core::Collection& collection) override;
  bool empty() override;

 private:
  std::int64_t sequence(const std::string& table);
  void set_sequence(const std::string& table, std::int64_t id);

  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace amis::store::gpkg
