#pragma once
// The JSON documents of OGC API - Features Part 1 (landing page, conformance,
// collections, collection), built with nlohmann::json: they are small.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/collection.hpp"

namespace amis::api::features {

inline constexpr const char* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

const std::vector<std::string>& conformance_classes();

nlohmann::json landing_page_json(const std::string& base, const std::string& title,
                                 const std::string& description);
nlohmann::json conformance_json(const std::string& base);
nlohmann::json collection_json(const std::string& base, const core::Collection& collection);
// The queryables of a collection as a JSON Schema (OGC API - Features Part 3, 6.2).
// `values` gives the "enum" of category properties (QueryableValues).
nlohmann::json queryables_json(const std::string& base, const core::Collection& collection,
                               const std::map<std::string, std::vector<std::string>>& values = {});
// The functions filters may call (CQL2 functions class).
nlohmann::json functions_json(const std::string& base);
nlohmann::json collections_json(const std::string& base,
                                const std::vector<core::Collection>& collections);

}  // namespace amis::api::features
