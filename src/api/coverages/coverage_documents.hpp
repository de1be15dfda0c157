#pragma once
// The JSON documents of OGC API - Coverages for one raster layer: its collection
// (with the coverage links GDAL's OGCAPI driver looks for), the CIS 1.1 domain set
// and range type, and the fields schema.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "coverage/coverage_info.hpp"
#include "store/store.hpp"

namespace amis::api::coverages {

// The conformance classes of the OGC API - Coverages draft (1.0) that are implemented.
const std::vector<std::string>& coverages_conformance_classes();

nlohmann::json coverage_collection_json(const std::string& base, const store::RasterLayer& layer,
                                        const coverage::CoverageInfo& info);
nlohmann::json domain_set_json(const coverage::CoverageInfo& info);
nlohmann::json range_type_json(const store::RasterLayer& layer, const coverage::CoverageInfo& info);
nlohmann::json fields_schema_json(const std::string& base, const store::RasterLayer& layer,
                                  const coverage::CoverageInfo& info);

// The SWE Common data type URI of a GDAL data type ("Float32" ->
// http://www.opengis.net/def/dataType/OGC/0/float32).
std::string data_type_uri(const std::string& gdal_type);

// The bands of a layer as served: the stored ones, or (a store from before bands
// were kept) band1..bandN of the file's type.
std::vector<store::RasterBand> served_bands(const store::RasterLayer& layer, const coverage::CoverageInfo& info);

}  // namespace amis::api::coverages
