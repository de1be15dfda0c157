#pragma once
// The parts of a catalogue search that read the same in SQLite and PostgreSQL,
// written with '?' placeholders and their values: list membership, the temporal
// overlap of `datetime` with a record's extent, and a bbox across the antimeridian.
#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "core/datetime.hpp"
#include "core/collection.hpp"
#include "core/envelope.hpp"
#include "core/expression.hpp"
#include "store/filter_compiler.hpp"

namespace amis::store {

// @throws core::InvalidParameter for a negative offset or limit.
void check_paging(const catalog::CatalogQuery& query);

// " AND column IN (?, …)".
void add_in_list(std::string& sql, std::vector<Binding>& bindings, const std::string& column,
                 const std::vector<std::string>& values);

// " AND …": records with a temporal extent (time_start/time_end, either open) that meets `t`.
void add_temporal_overlap(std::string& sql, std::vector<Binding>& bindings, const core::TimeInterval& t);

// AnyText (query.any_text) through a store's full-text index: the distinct index
// parts of its words (catalog::any_text_index_parts), and for each the index words
// that contain it (the store's word list), found by the backend.
std::vector<std::string> any_text_parts(const catalog::CatalogQuery& query);
// A part inside more index words than this is left to the exact condition.
inline constexpr std::int64_t kMaxWordsPerPart = 1000;
struct AnyTextWords {
  std::vector<std::vector<std::string>> parts;  // index words per part (none: no record matches)
};

// " AND …" the exact AnyText condition of every word (catalog::any_text_condition),
// compiled by `compile` (a backend's filter compiler over the record columns).
void add_any_text_conditions(std::string& sql, const catalog::CatalogQuery& query,
                             const std::function<void(const core::Collection&, const core::Expression&)>& compile);

// Whether the query matches every record (no condition of any kind).
bool unconstrained(const catalog::CatalogQuery& query);

// The box, or the two boxes either side of the antimeridian when west > east.
std::vector<core::Envelope> antimeridian_boxes(const core::Envelope& e);

}  // namespace amis::store
