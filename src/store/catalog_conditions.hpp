#pragma once
// The parts of a catalogue search that read the same in SQLite and PostgreSQL,
// written with '?' placeholders and their values: list membership, the temporal
// overlap of `datetime` with a record's extent, and a bbox across the antimeridian.
#include <string>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "core/datetime.hpp"
#include "core/envelope.hpp"
#include "store/filter_compiler.hpp"

namespace amis::store {

// @throws core::InvalidParameter for a negative offset or limit.
void check_paging(const catalog::CatalogQuery& query);

// " AND column IN (?, …)".
void add_in_list(std::string& sql, std::vector<Binding>& bindings, const std::string& column,
                 const std::vector<std::string>& values);

// " AND …": records with a temporal extent (time_start/time_end, either open) that meets `t`.
void add_temporal_overlap(std::string& sql, std::vector<Binding>& bindings, const core::TimeInterval& t);

// The box, or the two boxes either side of the antimeridian when west > east.
std::vector<core::Envelope> antimeridian_boxes(const core::Envelope& e);

}  // namespace amis::store
