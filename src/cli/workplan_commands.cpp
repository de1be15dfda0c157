#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "store/open_store.hpp"
#include "workplan/activity_collection.hpp"
#include "workplan/appendix_csv.hpp"
#include "workplan/evidence_retention.hpp"
#include "workplan/plan_yaml.hpp"
#include "workplan/progress_service.hpp"

namespace amis::cli {
namespace {

constexpr std::uintmax_t kMaxFile = 4u << 20;

std::string read_file(const std::string& path) {
  if (std::filesystem::file_size(path) > kMaxFile) throw std::runtime_error(path + " is larger than 4 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The plan named, or the only one in the store.
workplan::WorkPlan chosen_plan(store::WorkPlanStore& plans, const std::string& id) {
  std::string name = id;
  if (name.empty()) {
    const auto all = plans.plans();
    if (all.size() != 1)
      throw std::runtime_error(all.empty() ? "no work plan in the store: load one with `amis workplan load FILE`"
                                           : "the store holds several work plans: name one with --plan");
    name = all.front().id;
  }
  auto plan = plans.plan(name);
  if (!plan) throw std::runtime_error("no work plan '" + name + "' in the store");
  return *plan;
}

int load(store::OpenedStore& opened, const WorkPlanCommand& command) {
  auto plan = workplan::parse_work_plan(read_file(command.file),
                                        std::filesystem::path(command.file).filename().string());
  // Loading the text again keeps an Appendix imported before, for the activities that remain.
  if (auto before = opened.work_plans->plan(plan.id)) {
    for (auto& a : plan.activities)
      if (const auto* old = before->activity(a.id)) {
        auto outputs = a.outputs;
        auto text = a.text, area = a.area, partner = a.partner_named;
        a = *old;
        a.outputs = outputs;
        a.text = text;
        a.area = area;
        a.partner_named = partner;
        for (auto& i : a.indicators)
          if (i.output > static_cast<int>(a.outputs.size())) i.output = 1;
      }
  }
  opened.work_plans->put_plan(plan);
  workplan::ensure_progress_collection(*opened.features);
  workplan::ActivityPublisher(*opened.features, *opened.work_plans).publish();
  std::cout << "work plan " << plan.id << ": " << plan.areas.size() << " programme areas, " << plan.activities.size()
            << " activities, " << plan.output_count() << " expected outputs\n";
  return 0;
}

int import_appendix(store::OpenedStore& opened, const WorkPlanCommand& command) {
  auto plan = chosen_plan(*opened.work_plans, command.plan);
  workplan::import_appendix(plan, read_file(command.file));
  opened.work_plans->put_plan(plan);
  workplan::ActivityPublisher(*opened.features, *opened.work_plans).publish();
  std::size_t leads = 0, indicators = 0;
  for (const auto& a : plan.activities) {
    leads += a.lead.empty() ? 0 : 1;
    indicators += a.indicators.size();
  }
  std::cout << "work plan " << plan.id << ": Appendix imported, " << leads << " activities with a lead, " << indicators
            << " indicators\n";
  return 0;
}

// Evidence uploads no report cites, older than the days given (0: all of them).
int forget_evidence(store::OpenedStore& opened, int days) {
  if (days < 0) {
    std::cout << "evidence documents are kept for ever ([workplan] evidence_retention_days = 0)\n";
    return 0;
  }
  const auto gone = workplan::forget_uncited_evidence(*opened.features, *opened.work_plans, *opened.change_sets,
                                                      workplan::utc_now(days, true));
  std::cout << gone.examined << " evidence documents uploaded more than " << days << " days ago, " << gone.removed.size()
            << " removed (no report cites them)\n";
  for (const auto id : gone.removed) std::cout << "removed " << id << "\n";
  return 0;
}

}  // namespace

int workplan_command(const config::Config& config, const WorkPlanCommand& command) {
  auto opened = store::open_store(store_location(config));
  if (command.action == "load") return load(opened, command);
  if (command.action == "import-appendix") return import_appendix(opened, command);
  if (command.action == "forget-evidence") {
    const int configured = config.workplan.evidence_retention_days;
    return forget_evidence(opened, command.days >= 0 ? command.days : configured > 0 ? configured : -1);
  }
  if (command.action == "appendix-template") {
    std::cout << workplan::appendix_template(chosen_plan(*opened.work_plans, command.plan));
    return 0;
  }
  for (const auto& p : opened.work_plans->plans())
    std::cout << p.id << "\t" << p.period_start << "-" << p.period_end << "\t" << p.title << "\n";
  return 0;
}

}  // namespace amis::cli
