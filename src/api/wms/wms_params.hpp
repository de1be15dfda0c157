#pragma once
// Reading WMS KVP parameters (names are case-insensitive) into typed values,
// with the ServiceException codes of WMS 1.3.0 Table E.1 for what is wrong.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/request.hpp"
#include "render/map_renderer.hpp"
#include "store/store.hpp"

namespace amis::api::wms {

// A WMS error: a ServiceException code (empty for none) and the parameter.
struct WmsError : core::OgcError {
  WmsError(const std::string& code, const std::string& message, const std::string& locator)
      : core::OgcError(400, code, message, locator) {}
};

// A raster layer as the Collection entry of a map request (only its names and
// extent; geometry_type kRasterType marks it).
inline constexpr const char* kRasterType = "RASTER";
core::Collection raster_collection(const store::RasterLayer& raster);
// A layer cascaded from a national node's WMS (drawn by the node): geometry_type
// kCascadedType marks its Collection entry.
inline constexpr const char* kCascadedType = "CASCADED";
// The cascaded layer of a name, for parse_map_request; nullopt for none.
using CascadedLayerLookup = std::function<std::optional<core::Collection>(std::string_view)>;

std::string upper(std::string_view s);
std::optional<std::string> param(const http::Request& request, std::string_view upper_name);
// @throws WmsError MissingParameterValue when absent or empty.
std::string required(const http::Request& request, std::string_view upper_name);
std::vector<std::string> split(const std::string& text);

// How errors are reported (EXCEPTIONS): an XML report, or, for GetMap, an image
// with the message drawn in it or a blank image.
enum class ExceptionMode { Xml, InImage, Blank };
ExceptionMode parse_exceptions(const http::Request& request);

render::ImageFormat parse_format(const std::string& text);

struct MapLimits {
  int max_width = 4096;
  int max_height = 4096;
  int layer_limit = 32;  // layers in one map (WMS 1.3.0 LayerLimit)
};

// The map part of GetMap and GetFeatureInfo: LAYERS, STYLES, CRS/SRS, BBOX,
// WIDTH, HEIGHT, FORMAT (optional with `format_required` false), TRANSPARENT,
// BGCOLOR. The size and the number of layers are checked first: a request too
// large is refused before anything is read or allocated. The styles are left to the caller: `style_names`
// gets one name per layer ("" for the default). A name that is no collection or raster
// of the store may be a cascaded layer (`cascaded`); its pixels are the caller's to add.
render::MapRequest parse_map_request(bool v130, const http::Request& request, store::Store& store,
                                     const MapLimits& limits, std::vector<std::string>& style_names,
                                     bool format_required = true, const CascadedLayerLookup& cascaded = {});

// The size, format and background of a GetMap as far as they can be read, for
// reporting an error as an image; defaults where they cannot.
render::MapRequest error_image_request(const http::Request& request, const MapLimits& limits);

}  // namespace amis::api::wms
