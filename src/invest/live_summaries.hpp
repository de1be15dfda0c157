#pragma once
// The live summaries beside a country profile (issue 20), computed by the store
// from the published collections the caller may read (store::VisibleStore),
// never typed: each SummarySpec a group-by of the country's features, and the
// collections holding features of the country with their counts.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "invest/summary_spec.hpp"
#include "store/catalog_store.hpp"
#include "store/store.hpp"

namespace amis::invest {

// {"id", "title", "collection", "kind", "groupBy", "sums", "groups": [{"keys",
// "count", "sums"}], "truncated"}, and for a series "series": [{"name",
// "keys", "points": [[x, y], ...]}] (x ascending, groups without an x left out);
// "available": false with "reason" when the collection is missing, unreadable
// for the caller or lacks a property (the spec's `absent` text for a missing
// one when it has one); "note" (the spec's) when it has one.
nlohmann::json live_summary(store::Store& store, const SummarySpec& spec, const std::string& iso3,
                            const std::string& country_property);
nlohmann::json live_summaries(store::Store& store, const std::vector<SummarySpec>& specs, const std::string& iso3,
                              const std::string& country_property);

// The collections with features of the country: [{"id", "title", "features"}],
// by id, leaving out `except` (the profiles themselves).
nlohmann::json country_datasets(store::Store& store, const std::string& iso3, const std::string& country_property,
                                const std::string& except);

// The catalogue's records about the country (their `country`, as editors and
// harvests set it): [{"id", "title", "type"}], at most `limit`, by id.
nlohmann::json country_records(store::CatalogStore& catalog, const std::string& iso3, std::int64_t limit);

}  // namespace amis::invest
