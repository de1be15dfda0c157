#include "api/wcs/wcs_xml_request.hpp"

#include <pugixml.hpp>

#include "query/xml_document.hpp"

namespace amis::api::wcs {
namespace {

using query::local_name;

constexpr std::size_t kMaxCoverageIds = 100;
constexpr std::size_t kMaxRangeItems = 1024;
constexpr std::size_t kMaxTextBytes = 2048;  // an id, a number, a CRS or method URI

// The namespace URI of an element: its prefix's (or the default) xmlns
// declaration on it or the nearest ancestor declaring it.
std::string_view namespace_uri(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  const std::string attribute =
      colon == std::string_view::npos ? std::string("xmlns") : "xmlns:" + std::string(name.substr(0, colon));
  for (auto n = node; n; n = n.parent())
    if (auto a = n.attribute(attribute.c_str())) return a.value();
  return {};
}

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

// The text of a simple element (whitespace trimmed), bounded; mixed content
// (child elements) is refused, since every value here is a plain string.
std::string text_of(const pugi::xml_node& node) {
  std::string out;
  for (auto child : node.children()) {
    if (child.type() == pugi::node_element)
      throw WcsError(400, "InvalidEncodingSyntax",
                     "<" + std::string(local_name(node)) + "> holds text, not the element <" +
                         std::string(local_name(child)).substr(0, 64) + ">",
                     std::string(local_name(node)));
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out += child.value();
    if (out.size() > kMaxTextBytes)
      throw WcsError(400, "InvalidEncodingSyntax",
                     "<" + std::string(local_name(node)) + "> is longer than " + std::to_string(kMaxTextBytes) +
                         " bytes",
                     std::string(local_name(node)));
  }
  return trimmed(out);
}

std::vector<pugi::xml_node> children_named(const pugi::xml_node& parent, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (auto child : parent.children())
    if (child.type() == pugi::node_element && local_name(child) == local) out.push_back(child);
  return out;
}

std::string required_text(const pugi::xml_node& parent, const char* local) {
  const auto node = query::child_element(parent, local);
  std::string value = node ? text_of(node) : std::string();
  if (value.empty())
    throw WcsError(400, "MissingParameterValue",
                   "<" + std::string(local_name(parent)) + "> needs a <" + local + ">", local);
  return value;
}

double number_in(const pugi::xml_node& parent, const char* local, const char* code, const char* locator) {
  const std::string text = required_text(parent, local);
  auto v = coverage::parse_number(text);
  if (!v) throw WcsError(400, code, "<" + std::string(local) + "> '" + text.substr(0, 40) + "' is not a number", locator);
  return *v;
}

// service="WCS" (required) and, but for GetCapabilities, version="2.0.1".
void check_service_and_version(const pugi::xml_node& root, bool version_required) {
  const std::string service = root.attribute("service").value();
  if (service.empty()) throw WcsError(400, "MissingParameterValue", "the attribute service is required", "service");
  if (service != "WCS") throw WcsError(400, "InvalidParameterValue", "service must be WCS", "service");
  if (!version_required) return;
  const std::string version = root.attribute("version").value();
  if (version.empty()) throw WcsError(400, "MissingParameterValue", "the attribute version is required", "version");
  if (version != "2.0.1" && version != "2.0.0")
    throw WcsError(400, "InvalidParameterValue", "version must be 2.0.1", "version");
}

void read_accept_versions(const pugi::xml_node& root) {
  const auto accept = query::child_element(root, "AcceptVersions");
  if (!accept) return;
  for (const auto& v : children_named(accept, "Version")) {
    const std::string version = text_of(v);
    if (version == "2.0.1" || version == "2.0.0") return;
  }
  throw WcsError(400, "VersionNegotiationFailed", "this WCS speaks 2.0.1", "acceptversions");
}

coverage::AxisSubset dimension_subset(const pugi::xml_node& node) {
  coverage::AxisSubset out;
  out.axis = required_text(node, "Dimension");
  if (out.axis.size() > 64) throw WcsError(400, "InvalidAxisLabel", "an axis name is at most 64 characters", "subset");
  const auto bound = [&](const char* local) -> std::optional<double> {
    const auto element = query::child_element(node, local);
    if (!element) return std::nullopt;
    const std::string text = text_of(element);
    auto v = coverage::parse_number(text);
    if (!v)
      throw WcsError(400, "InvalidSubsetting", "<" + std::string(local) + "> '" + text.substr(0, 40) +
                                                   "' is not a number", "subset");
    return v;
  };
  if (local_name(node) == "DimensionSlice") {
    out.low = out.high = bound("SlicePoint");
    if (!out.low) throw WcsError(400, "MissingParameterValue", "<DimensionSlice> needs a <SlicePoint>", "SlicePoint");
    out.slice = true;
  } else {
    out.low = bound("TrimLow");
    out.high = bound("TrimHigh");
    if (out.low && out.high && *out.low > *out.high)
      throw WcsError(400, "InvalidSubsetting", "the trim of " + out.axis + " is inverted", "subset");
  }
  return out;
}

// rsub:RangeSubset → the KVP form "b1,b3:b5": component names are NCNames, so
// they hold neither ',' nor ':'.
std::string range_subset(const pugi::xml_node& node) {
  const auto items = children_named(node, "RangeItem");
  if (items.empty()) throw WcsError(400, "MissingParameterValue", "<RangeSubset> needs a <RangeItem>", "rangesubset");
  if (items.size() > kMaxRangeItems) throw WcsError(400, "InvalidParameterValue", "too many bands", "rangesubset");
  const auto component = [](const pugi::xml_node& parent, const char* local) {
    std::string name = required_text(parent, local);
    if (name.find_first_of(",: \t\r\n") != std::string::npos)
      throw WcsError(400, "NoSuchField", "'" + name.substr(0, 64) + "' is not a field name", "rangesubset");
    return name;
  };
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    if (auto interval = query::child_element(item, "RangeInterval"))
      out += component(interval, "startComponent") + ":" + component(interval, "endComponent");
    else
      out += component(item, "RangeComponent");
  }
  return out;
}

// scal:ScaleByFactor, ScaleAxesByFactor or ScaleToSize, alone or inside scal:Scaling.
void read_scaling(const pugi::xml_node& node, GetCoverageRequest& out, int& scalings) {
  const auto name = local_name(node);
  if (name == "Scaling") {
    for (auto child : node.children())
      if (child.type() == pugi::node_element) read_scaling(child, out, scalings);
    return;
  }
  if (name == "ScaleToExtent")
    throw WcsError(400, "InvalidParameterValue", "ScaleToExtent is not offered: use ScaleToSize", "scaleextent");
  if (name != "ScaleByFactor" && name != "ScaleAxesByFactor" && name != "ScaleToSize")
    throw WcsError(400, "InvalidParameterValue", "<" + std::string(name).substr(0, 64) + "> is no scaling", "Extension");
  ++scalings;
  if (name == "ScaleByFactor") {
    out.scale_factor = number_in(node, "scaleFactor", "InvalidScaleFactor", "scalefactor");
    return;
  }
  const bool by_factor = name == "ScaleAxesByFactor";
  const auto items = children_named(node, by_factor ? "ScaleAxis" : "TargetAxisSize");
  if (items.empty() || items.size() > coverage::kMaxAxes)
    throw WcsError(400, by_factor ? "InvalidScaleFactor" : "InvalidExtent",
                   "<" + std::string(name) + "> names 1 to " + std::to_string(coverage::kMaxAxes) + " axes",
                   by_factor ? "scaleaxes" : "scalesize");
  auto& list = by_factor ? out.scale_axes : out.scale_size;
  for (const auto& item : items) {
    coverage::AxisValue v;
    v.axis = required_text(item, "axis");
    if (v.axis.size() > 64) throw WcsError(400, "ScaleAxisUndefined", "an axis name is at most 64 characters", "scaleaxes");
    v.value = by_factor ? number_in(item, "scaleFactor", "InvalidScaleFactor", "scaleaxes")
                        : number_in(item, "targetSize", "InvalidExtent", "scalesize");
    list.push_back(std::move(v));
  }
}

// int:Interpolation: a global method, or the same method on every axis.
coverage::Interpolation interpolation(const pugi::xml_node& node) {
  if (auto global = query::child_element(node, "globalInterpolation")) return interpolation_method(text_of(global));
  const auto per_axis = children_named(node, "InterpolationPerAxis");
  if (per_axis.empty() || per_axis.size() > coverage::kMaxAxes)
    throw WcsError(400, "InvalidParameterValue", "<Interpolation> needs a <globalInterpolation>", "interpolation");
  const auto method = interpolation_method(required_text(per_axis.front(), "interpolationMethod"));
  for (const auto& axis : per_axis)
    if (interpolation_method(required_text(axis, "interpolationMethod")) != method)
      throw WcsError(400, "InterpolationMethodNotSupported", "one interpolation method is used on every axis",
                     "interpolation");
  return method;
}

void read_extension(const pugi::xml_node& extension, GetCoverageRequest& out) {
  int scalings = 0;
  for (auto node : extension.children()) {
    if (node.type() != pugi::node_element) continue;
    const auto name = local_name(node);
    if (name == "Scaling" || name.starts_with("Scale"))
      read_scaling(node, out, scalings);
    else if (name == "RangeSubset")
      out.range_subset = range_subset(node);
    else if (name == "subsettingCrs")
      out.subsetting_crs = text_of(node);
    else if (name == "outputCrs")
      out.output_crs = text_of(node);
    else if (name == "Interpolation")
      out.interpolation = interpolation(node);
    else
      throw WcsError(400, "InvalidParameterValue",
                     "the extension <" + std::string(name).substr(0, 64) + "> is not one this WCS implements",
                     "Extension");
  }
  check_scaling(out, scalings);
}

GetCoverageRequest get_coverage(const pugi::xml_node& root) {
  GetCoverageRequest out;
  const auto ids = children_named(root, "CoverageId");
  if (ids.size() > 1) throw WcsError(400, "InvalidParameterValue", "GetCoverage names one CoverageId", "coverageid");
  out.coverage_id = required_text(root, "CoverageId");
  for (auto node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    const auto name = local_name(node);
    if (name != "DimensionTrim" && name != "DimensionSlice") continue;
    if (out.subsets.size() == coverage::kMaxAxes)
      throw WcsError(400, "InvalidSubsetting", "at most " + std::to_string(coverage::kMaxAxes) + " subsets", "subset");
    out.subsets.push_back(dimension_subset(node));
  }
  check_subsets(out);
  if (auto format = query::child_element(root, "format")) out.format = text_of(format);
  if (query::child_element(root, "mediaType"))
    throw WcsError(400, "InvalidParameterValue", "multipart responses (mediaType) are not offered", "mediatype");
  if (auto extension = query::child_element(root, "Extension")) read_extension(extension, out);
  return out;
}

}  // namespace

WcsRequest parse_wcs_xml(std::string_view body) {
  pugi::xml_document doc;
  query::parse_xml(doc, body, "request");
  const pugi::xml_node root = doc.document_element();
  const std::string operation(local_name(root));
  if (namespace_uri(root) != kWcs20Namespace)
    throw WcsError(400, "OperationNotSupported",
                   "this WCS takes XML requests in the namespace " + std::string(kWcs20Namespace) + ", not <" +
                       operation.substr(0, 40) + "> in '" + std::string(namespace_uri(root)).substr(0, 80) + "'",
                   "request");
  WcsRequest out;
  if (operation == "GetCapabilities") {
    check_service_and_version(root, false);
    read_accept_versions(root);
    out.operation = WcsOperation::GetCapabilities;
    return out;
  }
  if (operation == "DescribeCoverage") {
    check_service_and_version(root, true);
    out.operation = WcsOperation::DescribeCoverage;
    const auto ids = children_named(root, "CoverageId");
    if (ids.size() > kMaxCoverageIds)
      throw WcsError(400, "InvalidParameterValue", "at most 100 coverages at once", "coverageid");
    for (const auto& id : ids) out.coverage_ids.push_back(text_of(id));
    if (out.coverage_ids.empty())
      throw WcsError(400, "MissingParameterValue", "<DescribeCoverage> needs a <CoverageId>", "coverageid");
    return out;
  }
  if (operation == "GetCoverage") {
    check_service_and_version(root, true);
    out.operation = WcsOperation::GetCoverage;
    out.get_coverage = get_coverage(root);
    return out;
  }
  throw unsupported_operation(operation);
}

}  // namespace amis::api::wcs
