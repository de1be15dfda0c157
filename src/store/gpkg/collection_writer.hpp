#pragma once
#include <memory>

#include "core/collection.hpp"
#include "store/gpkg/rtree_bulk.hpp"
#include "store/sqlite/database.hpp"
#include "store/store.hpp"

namespace amis::store::gpkg {

// Writes a new version of a collection inside one transaction on its own
// connection: readers keep seeing the old version until commit().
class GpkgCollectionWriter final : public CollectionWriter {
 public:
  // @throws InvalidParameter for an id that is not [A-Za-z][A-Za-z0-9_-]{0,63}.
  GpkgCollectionWriter(std::unique_ptr<sqlite::Database> db, core::Collection metadata);
  ~GpkgCollectionWriter() override;

  void add(std::span<const std::uint8_t> wkb, std::span<const core::Value> values) override;
  void add_with_id(std::int64_t id, std::span<const std::uint8_t> wkb, std::span<const core::Value> values) override;
  void commit() override;

 private:
  void insert(sqlite::Statement& insert, int first, std::span<const std::uint8_t> wkb,
              std::span<const core::Value> values);
  void record_time(const core::Value& value);
  void write_metadata();

  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<sqlite::Transaction> tx_;
  core::Collection metadata_;
  std::unique_ptr<sqlite::Statement> insert_;
  std::unique_ptr<sqlite::Statement> insert_with_id_;
  std::vector<std::uint8_t> geometry_;
  core::Envelope extent_;
  std::vector<RtreeEntry> boxes_;  // the R-tree, built at commit()
  std::int64_t count_ = 0;
  int temporal_index_ = -1;
  std::optional<std::string> time_min_, time_max_;
};

}  // namespace amis::store::gpkg
