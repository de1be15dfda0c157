#pragma once
// The needs register in the GeoPackage (amis_needs, amis_need_notes; issue 18),
// with each change's audit entry in amis_audit in the same transaction.
#include <memory>
#include <mutex>
#include <string>

#include "store/need_store.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

class GpkgNeeds final : public NeedStore {
 public:
  // Opens the store at `path` (creating the tables when missing; amis_audit is
  // the GeoPackage store's, made before).
  explicit GpkgNeeds(const std::string& path);

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
  std::optional<core::Need> read(std::int64_t id);
  core::NeedNote append_note(std::int64_t need, const std::string& author, core::NeedNote::Kind kind,
                             const std::string& text);
  void audit(const std::string& actor, const char* action, std::int64_t need, const std::string& detail);

  std::mutex mutex_;  // one connection: the register is written rarely
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace amis::store::gpkg
