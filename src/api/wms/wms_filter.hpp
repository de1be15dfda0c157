#pragma once
// CQL_FILTER, the vendor parameter of GeoServer and MapServer that QGIS, OpenLayers
// and the AMIS portal send with GetMap and GetFeatureInfo: a CQL2 text filter per
// layer, separated by ';'. Only the features it selects are drawn and identified.
#include <cstddef>
#include <memory>
#include <vector>

#include "core/expression.hpp"
#include "http/request.hpp"

namespace amis::api::wms {

// One filter per layer (null for none, or for an empty entry or INCLUDE); empty
// without CQL_FILTER. One entry for one layer, or one per layer.
// @throws WmsError InvalidParameterValue (locator CQL_FILTER) for a filter that
// does not parse or a count that does not match LAYERS.
std::vector<std::shared_ptr<const core::Expression>> parse_cql_filter(const http::Request& request,
                                                                      std::size_t layer_count);

}  // namespace amis::api::wms
