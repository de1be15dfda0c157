#pragma once
// The JSON documents of OGC API - Records - Part 1: a record as GeoJSON (the
// record core), the catalog (a collection of itemType "record"), queryables,
// sortables and the facets of a search.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "catalog/record.hpp"

namespace amis::api::records {

inline constexpr const char* kCatalogId = "catalog";  // /collections/catalog
// The `scheme` of the theme that holds a record's ISO topic categories.
inline constexpr const char* kTopicCategoryScheme =
    "https://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_TopicCategoryCode";

// The Records conformance classes AMIS implements: the published standard's URIs,
// the test annex's spellings of the same classes, and the draft conf/core.
const std::vector<std::string>& records_conformance_classes();

std::string catalog_path(const std::string& base);  // base + "/collections/catalog"
std::string record_path(const std::string& base, const std::string& id);

// The ISO 639-2/B code of an RFC 5646 language tag the region's records use
// ("en" -> "eng"); another tag as it is.
std::string iso639_2_of(const std::string& tag);

nlohmann::json record_json(const catalog::Record& record, const std::string& base);
nlohmann::json catalog_json(const std::string& base, const std::string& title, const std::string& description,
                            std::int64_t records);
nlohmann::json catalog_queryables_json(const std::string& base);
nlohmann::json catalog_sortables_json(const std::string& base);
nlohmann::json facets_json(const std::vector<catalog::Facet>& facets);

}  // namespace amis::api::records
