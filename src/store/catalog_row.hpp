#pragma once
// A catalogue record as every store backend keeps it: the record's JSON document
// plus the values filters, sorting, full text, the spatial index and facets read
// (normalised dates, the list queryables as JSON arrays, the facet terms). One
// derivation for the GeoPackage and the PostGIS catalogue, so that both answer alike.
#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "catalog/record.hpp"
#include "core/envelope.hpp"

namespace amis::store {

// A facet value of a record (catalog::FacetField names, plus "externalId").
struct RecordTerm {
  const char* field;
  std::string value;
};

struct RecordRow {
  std::string id;
  std::string origin;
  std::string type;
  std::string title;
  std::string description;
  std::optional<std::string> country, language, license, parent;
  std::vector<std::string> keywords;      // distinct, every group
  std::vector<std::string> themes;        // topic categories and thesaurus keywords, distinct
  std::vector<std::string> formats;
  std::vector<std::string> external_ids;  // "value" and "scheme:value", distinct
  std::optional<std::string> created;
  std::string updated;
  std::optional<std::string> published;
  std::optional<std::int64_t> feature_count;
  std::optional<std::string> time_start, time_end;  // normalised UTC; a date alone as its day's start/end
  std::optional<core::Envelope> extent;
  std::string keyword_text;  // full text, second weight: keywords and topic categories
  std::string other_text;    // full text, last weight: id, country, lineage, parties, external ids
  std::string document;      // catalog::to_json
};

// The row of a record whose `updated` is set. @throws core::InvalidValue from
// catalog::validate or for a date that is not RFC 3339.
RecordRow record_row(const catalog::Record& record);

// The facet terms of the row: keyword, theme, format, externalId, type, country.
std::vector<RecordTerm> record_terms(const RecordRow& row);

// A record made ready to write, on any thread (an import prepares records on all its
// threads while one writes): its row, facet terms, the full text's stems
// (stemmed_text of title, keyword text, description and other text) and the AnyText
// words (full_text_words of title, keyword text and description). Both stores
// write from it.
struct PreparedRecord {
  RecordRow row;
  std::vector<RecordTerm> terms;
  std::string stem_title, stem_keywords, stem_description, stem_other;
  std::vector<std::string> words;
};
// Of a record whose `updated` is set. @throws as record_row.
PreparedRecord prepare_record(const catalog::Record& record);

// What replace_derived does to the derived records `old` to make them `fresh`:
// the records to write (new or changed, their `updated` cleared so that the store
// stamps them) and the ids to remove; unchanged records are left alone.
// @throws core::InvalidValue when a fresh record is not of origin Derived.
struct DerivedChanges {
  std::vector<catalog::Record> writes;
  std::vector<std::string> removals;
};
DerivedChanges derived_changes(std::vector<catalog::Record> old, const std::vector<catalog::Record>& fresh);

// The record kept as the row's document.
// @throws core::ServerError when the document is not a record's JSON.
catalog::Record record_from_document(std::string_view document);

// The words of a full-text term (`q`: split at spaces and tabs) that have
// something to search for (a letter or digit; any non-ASCII character counts).
// Every word of a term must occur, any term may match; a query whose terms have
// no such word matches nothing.
std::vector<std::string_view> searchable_words(std::string_view term);

// A list as the filter compiler sees a list queryable: a JSON array of strings.
std::string json_array(const std::vector<std::string>& values);

}  // namespace amis::store
