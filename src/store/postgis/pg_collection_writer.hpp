#pragma once
// Loads a new version of a collection with COPY … FROM STDIN (FORMAT binary) into
// a fresh table inside one transaction; commit() indexes it (primary key, GiST),
// swaps it in under the collection's name and writes the catalogue row. Readers
// see the old version until then; without commit() the transaction rolls back.
#include <optional>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "store/postgis/pg_pool.hpp"
#include "store/store.hpp"

namespace amis::store::postgis {

class PgCollectionWriter final : public CollectionWriter {
 public:
  // @throws InvalidParameter for an invalid collection id.
  PgCollectionWriter(Pool::Lease connection, core::Collection metadata);
  ~PgCollectionWriter() override;

  void add(std::span<const std::uint8_t> wkb, std::span<const core::Value> values) override;
  void commit() override;

 private:
  void flush();
  void write_field(const core::Value& value, core::PropertyType type);
  void record_time(const core::Value& value);

  Pool::Lease connection_;
  std::unique_ptr<Transaction> tx_;
  core::Collection metadata_;
  bool copying_ = false;
  std::string loading_;  // the table being loaded, renamed at commit()
  std::vector<std::uint8_t> buffer_;  // COPY data not yet sent
  core::Envelope extent_;
  std::int64_t count_ = 0;
  int temporal_index_ = -1;
  std::optional<std::string> time_min_, time_max_;
};

}  // namespace amis::store::postgis
