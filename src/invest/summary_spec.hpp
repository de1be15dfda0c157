#pragma once
// Which published collections and properties feed the live summaries beside a
// country profile (issue 20): configuration, not code. Each summary is a
// group-by over one collection's features of the country (by its country
// property), counted, with sums of numeric properties; a "series" summary's
// last group-by property is the x axis (a year) and its first sum the value.
// `[[invest.summaries]]` in amis.toml, or static/invest/summaries.toml when it
// has none (the default, matching the demo's collections).
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/feature_query.hpp"

namespace amis::invest {

enum class SummaryKind { Table, Series };

struct SummarySpec {
  std::string id;
  std::string title;
  std::string collection;
  SummaryKind kind = SummaryKind::Table;
  std::vector<std::string> group_by;
  std::vector<std::string> sums;
  std::vector<core::PropertyEquals> where;  // only features with these values
  // What the numbers are, as the source states it (the basis of a tonnage, the
  // reporting code or that none is named); empty: nothing to say.
  std::string note;
  // What the summary says when no such collection is published (e.g. that no
  // licence data has been published); empty: the store's reason.
  std::string absent;
};

// The summaries of an `[[invest.summaries]]` array. @throws std::runtime_error
// naming `origin` and the entry for a missing or wrong key.
std::vector<SummarySpec> read_summaries(const toml::array& entries, const std::string& origin);
// The summaries of a TOML file holding `[[invest.summaries]]` (or `[[summaries]]`).
std::vector<SummarySpec> load_summaries(const std::string& path);

}  // namespace amis::invest
