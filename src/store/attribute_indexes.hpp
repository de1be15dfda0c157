#pragma once
// Indexes on the properties that filters compare (issue 22): without one an
// attribute filter (`status = 'operating'`, `?iso3=IDN`) reads the whole table.
// Which properties: those declared for the collection in amis.toml
// ([features.collections.<id>] indexes = ["status", ["commodity", "tonnage_mt"]]),
// the editing country property, and category-like text properties (at most
// `category_max` distinct values, as the queryables' enums). Made at import
// and at serve start when missing; the store names and creates them.
#include <cstddef>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "store/store.hpp"

namespace amis::store {

struct IndexRules {
  std::vector<std::vector<std::string>> declared;  // each one index, columns in order
  std::string country_property;                    // empty: none
  std::size_t category_max = 64;
  // A category's values are short codes: a text property with a longer value is
  // none (PostgreSQL's btree refuses a row of more than 2704 bytes, so an index on
  // long texts fails the write that makes one longer).
  std::size_t category_max_bytes = 200;
  // Properties that hold documents (a country profile's JSON text), never
  // categories however few their values are now.
  std::vector<std::string> documents;
};

// The indexes a collection should have, in the order they are made.
// @throws core::InvalidValue naming a declared property the collection lacks.
std::vector<std::vector<std::string>> wanted_indexes(Store& store, const core::Collection& collection,
                                                     const IndexRules& rules);

// Creates those that are missing; returns them all.
std::vector<std::vector<std::string>> ensure_attribute_indexes(Store& store, const core::Collection& collection,
                                                               const IndexRules& rules);

// What a store needs to create one attribute index: its name (amis_<collection>_<columns>_idx,
// never a collection's, since no collection id starts with amis_) and the quoted column list.
struct IndexDefinition {
  std::string name;
  std::string columns;  // "\"a\", \"b\""
};
// @throws core::InvalidValue for a property the collection lacks.
IndexDefinition index_definition(const core::Collection& collection, const std::vector<std::string>& properties);

// "status, iso3, commodity+tonnage_mt": for logs and the command line.
std::string describe_indexes(const std::vector<std::vector<std::string>>& indexes);

}  // namespace amis::store
