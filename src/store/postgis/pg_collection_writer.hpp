#pragma once
// Loads a new version of a collection with COPY … FROM STDIN (FORMAT binary) into
// a fresh table under a loading name that no reader knows (amis_data.amis_load_…).
// The rows go in 1 MB pieces to two connections in turn when the pool has a
// second one free, so that two server processes parse them (PostgreSQL's COPY
// into one table is single-threaded; the server, not the client, is what limits
// an import). commit() builds the fid and GiST indexes side by side on those
// connections, then in one transaction swaps the table in under the collection's
// name and writes the catalogue row: readers see the old version until then.
// Without commit() the loading table is dropped.
#include <optional>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "store/postgis/pg_categories.hpp"
#include "store/postgis/pg_pool.hpp"
#include "store/store.hpp"

namespace amis::store::postgis {

class PgCollectionWriter final : public CollectionWriter {
 public:
  // @throws InvalidParameter for an invalid collection id.
  // `categories` receives the distinct text values at commit().
  PgCollectionWriter(Pool& pool, core::Collection metadata, CategoryCache& categories);
  ~PgCollectionWriter() override;

  void add(std::span<const std::uint8_t> wkb, std::span<const core::Value> values) override;
  void add_with_id(std::int64_t id, std::span<const std::uint8_t> wkb, std::span<const core::Value> values) override;
  void commit() override;

 private:
  void flush();
  void write_field(const core::Value& value, core::PropertyType type);
  void record_time(const core::Value& value);
  std::string loading_table() const;

  CategoryCache& categories_;
  std::map<std::string, PropertyValues> text_values_;  // of the text properties, as they come
  std::vector<Pool::Lease> loaders_;  // one or two connections, each in its own COPY
  std::size_t next_loader_ = 0;
  bool copying_ = false;
  bool committed_ = false;
  core::Collection metadata_;
  std::string loading_;  // the table being loaded, renamed at commit()
  std::vector<std::uint8_t> buffer_;  // COPY data not yet sent
  core::Envelope extent_;
  std::int64_t count_ = 0;
  std::int64_t last_id_ = 0;  // the greatest fid written
  int temporal_index_ = -1;
  std::optional<std::string> time_min_, time_max_;
};

}  // namespace amis::store::postgis
