#pragma once
// The PostgreSQL store's own tables row by row (store/store_dump.hpp), for
// `amis store copy`: rows stream out in single-row mode and go in with
// COPY … FROM STDIN in one transaction per table.
#include "store/postgis/pg_pool.hpp"
#include "store/store_dump.hpp"

namespace amis::store::postgis {

class PgDump final : public StoreDump {
 public:
  explicit PgDump(Pool& pool) : pool_(pool) {}

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
  std::int64_t sequence(const std::string& table, const std::string& column);
  void set_sequence(const std::string& table, const std::string& column, std::int64_t id);

  Pool& pool_;
};

}  // namespace amis::store::postgis
