#pragma once
// The work-plan tables of the PostgreSQL store (issue 19), the same tables and
// answers as gpkg/gpkg_workplans.cpp.
#include "store/postgis/pg_pool.hpp"
#include "store/workplan_store.hpp"

namespace amis::store::postgis {

class PgWorkPlans final : public WorkPlanStore {
 public:
  // The tables, for ensure_schema (pg_schema.cpp).
  static const char* schema();

  explicit PgWorkPlans(Pool& pool) : pool_(pool) {}

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
  Pool& pool_;
};

}  // namespace amis::store::postgis
