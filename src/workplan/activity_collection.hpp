#pragma once
// The work plans' activities as the non-spatial collection `workplan_activities`
// (issue 19), so that OGC API Features clients (GDAL's OAPIF driver, QGIS) read
// them as a table: one feature per activity of every plan in the store, with its
// Appendix fields, where it stands now and its outputs accomplished. The
// collection is derived (read-only for editors): it is written again whenever
// what it shows may change (a plan loaded, an Appendix imported, a progress
// report approved, a meeting frozen) and when the server starts.
#include <cstddef>
#include <mutex>

#include "core/collection.hpp"
#include "store/store.hpp"
#include "store/workplan_store.hpp"

namespace amis::workplan {

inline constexpr const char* kActivityCollection = "workplan_activities";

core::Collection activity_collection();

class ActivityPublisher {
 public:
  ActivityPublisher(store::Store& store, store::WorkPlanStore& plans) : store_(store), plans_(plans) {}

  // Writes the collection anew from the plans and their approved reports;
  // nothing when the store holds no plan. Returns the number of activities.
  // @throws core::OgcError when the store cannot write (after one retry: nodes
  // of one PostgreSQL store may write it at the same moment).
  std::size_t publish();

 private:
  std::size_t write_once();

  store::Store& store_;
  store::WorkPlanStore& plans_;
  std::mutex mutex_;  // one writer per process
};

}  // namespace amis::workplan
