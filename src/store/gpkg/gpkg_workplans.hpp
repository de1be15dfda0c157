#pragma once
// The work-plan tables of the GeoPackage store (issue 19): amis_workplans,
// amis_workplan_areas, _activities, _outputs, _indicators and _meetings.
#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/database.hpp"
#include "store/workplan_store.hpp"

namespace amis::store::gpkg {

class GpkgWorkPlans final : public WorkPlanStore {
 public:
  // Opens the store at `path` (creating the tables when missing).
  explicit GpkgWorkPlans(const std::string& path);

  void put_plan(const workplan::WorkPlan& plan) override;
  std::vector<workplan::WorkPlanSummary> plans() override;
  std::optional<workplan::WorkPlan> plan(std::string_view id) override;
  bool freeze(const workplan::MeetingReport& report) override;
  std::vector<workplan::MeetingReport> meetings(std::string_view plan) override;
  std::optional<workplan::MeetingReport> meeting(std::string_view plan, std::string_view meeting) override;
  std::int64_t put_document(const workplan::EvidenceDocument& document) override;
  std::optional<workplan::EvidenceDocument> document(std::string_view plan, std::int64_t id) override;
  std::vector<workplan::EvidenceDocument> documents_uploaded_before(const std::string& before,
                                                                    std::int64_t limit) override;
  bool delete_document(std::int64_t id) override;

 private:
  std::mutex mutex_;  // one connection: work plans are read and written rarely
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace amis::store::gpkg
