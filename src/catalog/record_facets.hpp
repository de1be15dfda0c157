#pragma once
// A record's facet values, one derivation for the stores (which keep them as terms
// and count them in SQL) and for a distributed search (which counts them over the
// records it merged from the nodes): keyword (every group's words), theme (topic
// categories and the words of groups with a thesaurus), format, type, country;
// each value once per record, empty values left out.
#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "catalog/record.hpp"

namespace amis::catalog {

// The values in order of first appearance, each once, empty ones left out.
std::vector<std::string> distinct_values(std::vector<std::string> values);

// Topic categories, then the keywords of groups that name a thesaurus.
std::vector<std::string> theme_values(const Record& record);

// The record's distinct values of `field`.
std::vector<std::string> facet_values(const Record& record, FacetField field);

// The facets of `fields` counted over `records`: per value the records that have it,
// at most `buckets` values per facet, by count descending then value (bytewise, as
// the stores order them).
std::vector<Facet> count_facets(const std::vector<Record>& records, const std::vector<FacetField>& fields,
                                std::int64_t buckets);

}  // namespace amis::catalog
