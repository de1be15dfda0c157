#pragma once
// OGC API documents a harvest reads: a page of OGC API - Records items (a GeoJSON
// FeatureCollection of records with its `next` link) and an OGC API - Features
// collection list, each entry made into a catalogue record. Every document is
// JSON of at most kMaxOgcApiPageBytes; anything else is a ParsingFailed.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/record.hpp"
#include "federation/harvest.hpp"

namespace amis::federation {

inline constexpr std::size_t kMaxOgcApiPageBytes = 64u << 20;

// @throws core::ParsingFailed for text that is not a JSON object.
nlohmann::json read_json_document(std::string_view text);

struct RecordsPage {
  SourcePage page;
  std::string next;  // the href of the `next` link; empty: the last page
};

// An items page of OGC API - Records: each feature an item whose read() makes the
// record (record_from_ogcapi). @throws core::ParsingFailed for no FeatureCollection.
RecordsPage read_records_page(std::string_view text);

// One OGC API - Records record (GeoJSON). @throws core::InvalidValue for a
// record without id or title, or members of the wrong type.
catalog::Record record_from_ogcapi(const nlohmann::json& feature);

// The collections of an OGC API - Features `/collections` document, a record for
// each (records catalogues, itemType "record", left out), with a link to its
// items; `collections_url` is where the document was read.
// @throws core::ParsingFailed for no {"collections": [...]}.
SourcePage read_features_collections(std::string_view text, std::string_view collections_url);

// The href of the landing page's link to the collections (rel `data` or its OGC
// URI); empty when there is none.
std::string collections_href(std::string_view landing);

}  // namespace amis::federation
