#pragma once
// The record as one JSON document in AMIS's own field names: how a store keeps a
// record (a TEXT column in the GeoPackage, jsonb in PostGIS) and how change sets
// carry an edited record. Not the OGC API - Records encoding (api/records/).
#include <nlohmann/json.hpp>

#include "catalog/record.hpp"

namespace amis::catalog {

nlohmann::json to_json(const Record& record);
// @throws core::InvalidValue when the document does not have a record's shape.
Record record_from_json(const nlohmann::json& document);

}  // namespace amis::catalog
