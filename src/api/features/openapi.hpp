#pragma once
// The OpenAPI 3.0 definition of the service (the `oas30` conformance class),
// generated from the collections actually served, with their queryables.
#include <nlohmann/json.hpp>
#include <vector>

#include "api/features/features_api.hpp"

namespace amis::api::features {

nlohmann::json openapi_document(const std::string& base, const ServiceInfo& info,
                                const std::vector<core::Collection>& collections);

}  // namespace amis::api::features
