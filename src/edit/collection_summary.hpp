#pragma once
// A collection's summary in the catalogue (feature count, extent, first and last
// time) kept up to date by approvals without scanning the collection: each change
// of a change set tells what it added and removed, and only a side of the extent
// (or of the time span) that a removed feature was on has to be looked up again,
// which a store does through its spatial index. Both stores use it.
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "core/envelope.hpp"
#include "edit/change_set.hpp"

namespace amis::edit {

struct CollectionSummary {
  std::int64_t count = 0;
  core::Envelope extent;  // empty: no feature has a geometry
  std::optional<std::string> first, last;  // the smallest and largest time text
};

// A feature's part in a summary: its envelope (empty without a geometry) and time.
struct SummaryPart {
  core::Envelope envelope;
  std::optional<std::string> time;
};

// The envelope of a state's geometry and its time: the value of `temporal_property`
// when that is a JSON string (times are compared as text, byte by byte).
SummaryPart summary_part(const FeatureState& state, const std::optional<std::string>& temporal_property);

struct SummaryUpdate;

// What the changes of one approval did to the summary, change by change.
class SummaryChanges {
 public:
  void inserted(std::int64_t fid, const SummaryPart& now);
  void replaced(std::int64_t fid, const SummaryPart& before, const SummaryPart& now);
  void deleted(std::int64_t fid, const SummaryPart& before);

 private:
  friend SummaryUpdate update_summary(const CollectionSummary&, const SummaryChanges&);
  void add(const SummaryPart& part);
  void remove(const SummaryPart& part);

  std::int64_t count_ = 0;
  core::Envelope added_, removed_;
  std::optional<std::string> added_first_, added_last_, removed_first_, removed_last_;
  std::set<std::int64_t> written_;  // inserted or replaced by these changes
  bool rewritten_ = false;          // one of them changed again: its first state no longer counts
};

struct SummaryUpdate {
  // The changes cannot tell (a feature changed twice, a removed geometry outside the
  // summary, no feature left): the store counts and measures the collection again.
  bool recompute_all = false;
  CollectionSummary summary;  // otherwise the new summary, but for what is recomputed below
  // Sides of the extent (min x, min y, max x, max y) a removed geometry was on, none of
  // the added ones reaching it: the store finds the exact value among its rows; when no
  // row has a geometry, the extent is empty.
  std::array<bool, 4> recompute_side{};
  bool recompute_times = false;  // likewise the first or last time
};

SummaryUpdate update_summary(const CollectionSummary& before, const SummaryChanges& changes);

}  // namespace amis::edit
