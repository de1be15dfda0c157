#pragma once
// The needs register in PostgreSQL (issue 18): the same tables and answers as
// gpkg/gpkg_needs.cpp, each change with its audit entry in one transaction.
#include "store/need_store.hpp"
#include "store/postgis/pg_pool.hpp"

namespace amis::store::postgis {

class PgNeeds final : public NeedStore {
 public:
  // The tables, for ensure_schema (pg_schema.cpp), after the change sets' amis_audit.
  static const std::string& schema();

  explicit PgNeeds(Pool& pool) : pool_(pool) {}

  core::Need add_need(const core::Need& need) override;
  std::optional<core::Need> need(std::int64_t id) override;
  std::vector<core::Need> needs(const core::NeedFilter& filter) override;
  std::int64_t count_needs(const core::NeedFilter& filter) override;
  std::optional<core::Need> triage_need(std::int64_t id, const core::NeedTriage& triage,
                                        const std::string& actor) override;
  std::optional<core::NeedNote> add_need_comment(std::int64_t id, const std::string& author,
                                                 const std::string& text) override;
  std::vector<core::NeedNote> need_notes(std::int64_t id) override;
  std::int64_t count_need_comments(std::int64_t id) override;
  std::vector<core::NeedCount> need_counts() override;

 private:
  Pool& pool_;
};

}  // namespace amis::store::postgis
