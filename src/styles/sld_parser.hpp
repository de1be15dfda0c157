#pragma once
// OGC Styled Layer Descriptor 1.0 and Symbology Encoding 1.1 (SLD 1.1) read
// into render::Style, with pugixml behind query::parse_xml (no DTD, so no
// entity is ever expanded). Rule filters are FES (1.0/1.1/2.0) read into the
// shared filter tree and checked against the collection's properties.
//
// What is read: NamedLayer/UserStyle/FeatureTypeStyle/Rule with Name, Title,
// Abstract, Filter, ElseFilter and Min/MaxScaleDenominator; PointSymbolizer
// (Mark with WellKnownName circle|square|triangle|star|cross|x, Fill, Stroke;
// or an ExternalGraphic PNG/SVG from the server's symbol folder; Size, Rotation,
// Opacity), LineSymbolizer and PolygonSymbolizer (fill, fill-opacity, stroke,
// stroke-width, stroke-opacity, stroke-dasharray), TextSymbolizer (Label
// property, font-size, font-weight, Fill, Halo, Displacement); for a raster layer,
// RasterSymbolizer with an SLD 1.0 ColorMap (type ramp|intervals|values, at most
// 256 ColorMapEntry with color, quantity, opacity, label). Parameters must
// be literals: a value computed from a property is refused with its reason.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "render/style.hpp"

namespace amis::styles {

// The geometry type of the Collection that stands for a raster layer: its rules
// take a RasterSymbolizer with a ColorMap and nothing else.
inline constexpr const char* kRasterGeometryType = "RASTER";

struct SldLayerStyle {
  std::string layer;  // the NamedLayer's name (a collection id)
  render::Style style;
};

struct SldContext {
  // The collection a NamedLayer names; nullptr for none (refused).
  std::function<const core::Collection*(std::string_view)> collection;
  // Where ExternalGraphic files are looked up by file name; empty: none allowed.
  std::filesystem::path symbol_directory;
};

// Every UserStyle of every NamedLayer, in document order.
// @throws core::InvalidParameter("sld", reason) for a document that is not
// SLD/SE, names an unknown layer or property, or exceeds the limits (100 rules
// per style, 16 symbolizers per rule, sizes up to 256 px).
std::vector<SldLayerStyle> parse_sld(std::string_view xml, const SldContext& context);

// The styles of one collection from a document that styles it (its NamedLayer
// may be unnamed or carry the collection's id).
std::vector<render::Style> parse_sld_for(std::string_view xml, const core::Collection& collection,
                                         const std::filesystem::path& symbol_directory);

}  // namespace amis::styles
