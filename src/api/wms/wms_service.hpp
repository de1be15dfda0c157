#pragma once
// WMS 1.3.0 (and 1.1.1) at /wms: GetCapabilities, GetMap, GetFeatureInfo and
// GetLegendGraphic; every collection is a layer drawn by render/ with its
// default or a named style. Errors are ServiceException reports with the
// standard codes, or for GetMap with EXCEPTIONS=INIMAGE/BLANK an image.
#include <string>

#include "api/wms/wms_capabilities.hpp"
#include "api/wms/wms_params.hpp"
#include "coverage/open_grids.hpp"
#include "federation/wms_cascade.hpp"
#include "http/router.hpp"
#include "store/store.hpp"
#include "styles/style_catalog.hpp"

namespace amis::api::wms {

struct WmsSettings {
  std::string title;
  std::string description;
  std::string base_url;  // empty: from the Host header
  int max_width = 4096;
  int max_height = 4096;
};

class WmsService {
 public:
  WmsService(store::Store& store, amis::styles::StyleCatalog& styles, WmsSettings settings)
      : store_(store), styles_(styles), settings_(std::move(settings)) {}
  void register_routes(http::Router& router);
  // National nodes' WMS layers cascaded here (issue 16): layers of this WMS drawn by their node.
  void set_cascade(federation::WmsCascade* cascade) { cascade_ = cascade; }

 private:
  void handle(http::Request& request, http::Response& response);
  void get_capabilities(bool v130, const http::Request& request, http::Response& response);
  void get_map(bool v130, const http::Request& request, http::Response& response);
  void get_feature_info(bool v130, const http::Request& request, http::Response& response);
  void get_legend_graphic(const http::Request& request, http::Response& response);
  std::shared_ptr<const render::Style> raster_legend_style(const store::RasterLayer& raster,
                                                           const http::Request& request);
  // GetMap and GetFeatureInfo's map, with the named styles resolved.
  render::MapRequest map_request(bool v130, const http::Request& request, bool format_required);
  render::MapRequest styled_map_request(bool v130, const http::Request& request, const std::string& sld_body,
                                        bool format_required);
  std::string base_url(const http::Request& request) const;
  // Cascaded layers (wms_cascaded.cpp): the lookup for parse_map_request, their
  // styles (only the node's default), their pixels from the node, their
  // capabilities, and GetFeatureInfo of one of them answered by its node.
  CascadedLayerLookup cascaded_lookup();
  bool cascaded_style(const core::Collection& layer, const std::string& name,
                      std::vector<std::shared_ptr<const render::Style>>& styles);
  void add_cascaded_images(render::MapRequest& map);
  // A PNG map of one cascaded layer alone answered with the node's image; false otherwise
  // (with the layer's pixels in `map` when the node was asked).
  bool send_cascaded_alone(render::MapRequest& map, http::Response& response);
  void add_cascaded_capabilities(std::vector<CapabilitiesLayer>& layers);
  bool cascaded_feature_info(const render::MapRequest& map, const std::vector<std::string>& query_layers, int i,
                             int j, const std::string& format, int count, http::Response& response);
  // The layer limit is the renderer's (render_gate.hpp), which map tiles share.
  MapLimits limits() const;

  store::Store& store_;
  amis::styles::StyleCatalog& styles_;
  WmsSettings settings_;
  coverage::OpenGrids open_grids_;
  federation::WmsCascade* cascade_ = nullptr;  // GetFeatureInfo's rasters, kept open between requests
};

}  // namespace amis::api::wms
