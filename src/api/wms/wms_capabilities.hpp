#pragma once
// The WMS 1.3.0 and 1.1.1 capabilities documents: every collection a queryable
// layer with its styles (and their legend URLs), CRSs and bounding boxes.
#include <string>
#include <vector>

#include "core/collection.hpp"

namespace amis::api::wms {

struct LayerStyle {
  std::string name;
  std::string title;
  std::string abstract;
  int legend_width = 0;  // the size of its GetLegendGraphic image
  int legend_height = 0;
};

struct CapabilitiesLayer {
  core::Collection collection;
  std::vector<LayerStyle> styles;  // the first is the default
  bool queryable = true;           // GetFeatureInfo answers for it
};

struct CapabilitiesInfo {
  std::string url;  // the service's /wms URL
  std::string title;
  std::string description;
  int max_width = 4096;
  int max_height = 4096;
  int layer_limit = 32;
};

std::string capabilities_document(bool v130, const CapabilitiesInfo& info, const std::vector<CapabilitiesLayer>& layers);

// The formats GetFeatureInfo answers in (INFO_FORMAT).
const std::vector<std::string>& feature_info_formats();

}  // namespace amis::api::wms
