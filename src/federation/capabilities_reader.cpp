#include "federation/capabilities_reader.hpp"

#include <cmath>
#include <sstream>

#include "catalog/iso_schema.hpp"
#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "federation/xml_nodes.hpp"

namespace amis::federation {
namespace {

std::optional<double> number(const std::string& text) {
  if (text.empty() || text.size() > 40) return std::nullopt;
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<core::Envelope> checked(double w, double s, double e, double n) {
  if (w < -180 || e > 180 || s < -90 || n > 90 || w > e || s > n) return std::nullopt;
  return core::Envelope{w, s, e, n};
}

// EX_GeographicBoundingBox (1.3.0) or LatLonBoundingBox (1.1.1) of a WMS layer.
std::optional<core::Envelope> wms_extent(xml::Node layer) {
  if (xml::Node g = xml::child(layer, "EX_GeographicBoundingBox")) {
    auto w = number(xml::text(xml::child(g, "westBoundLongitude"))), e = number(xml::text(xml::child(g, "eastBoundLongitude")));
    auto s = number(xml::text(xml::child(g, "southBoundLatitude"))), n = number(xml::text(xml::child(g, "northBoundLatitude")));
    if (w && e && s && n) return checked(*w, *s, *e, *n);
  }
  if (xml::Node b = xml::child(layer, "LatLonBoundingBox")) {
    auto w = number(xml::attribute(b, "minx")), s = number(xml::attribute(b, "miny"));
    auto e = number(xml::attribute(b, "maxx")), n = number(xml::attribute(b, "maxy"));
    if (w && e && s && n) return checked(*w, *s, *e, *n);
  }
  return std::nullopt;
}

// ows:WGS84BoundingBox (lon/lat corners) of a WFS feature type or a WMTS layer.
std::optional<core::Envelope> wgs84_box(xml::Node parent) {
  if (xml::Node b = xml::child(parent, "WGS84BoundingBox")) {
    std::istringstream lower(xml::text(xml::child(b, "LowerCorner"))), upper(xml::text(xml::child(b, "UpperCorner")));
    double w = 0, s = 0, e = 0, n = 0;
    if ((lower >> w >> s) && (upper >> e >> n) && std::isfinite(w) && std::isfinite(s) && std::isfinite(e) && std::isfinite(n))
      return checked(w, s, e, n);
  }
  return std::nullopt;
}

// ows:WGS84BoundingBox (WFS 1.1, 2.0) or LatLongBoundingBox (1.0) of a feature type.
std::optional<core::Envelope> wfs_extent(xml::Node type) {
  if (auto box = wgs84_box(type)) return box;
  if (xml::Node b = xml::child(type, "LatLongBoundingBox")) {
    auto w = number(xml::attribute(b, "minx")), s = number(xml::attribute(b, "miny"));
    auto e = number(xml::attribute(b, "maxx")), n = number(xml::attribute(b, "maxy"));
    if (w && e && s && n) return checked(*w, *s, *e, *n);
  }
  return std::nullopt;
}

std::vector<std::string> keywords(xml::Node n) {
  std::vector<std::string> out;
  xml::Node list = xml::child(n, "KeywordList");
  if (!list) list = xml::child(n, "Keywords");
  for (xml::Node k : xml::children(list, "Keyword"))
    if (auto t = xml::text(k); !t.empty()) out.push_back(t);
  return out;
}

// A tile format's name for the catalogue's format facet ("image/png" gives "PNG").
std::string format_name(std::string_view media_type) {
  if (media_type == "image/png" || media_type.starts_with("image/png;")) return "PNG";
  if (media_type == "image/jpeg") return "JPEG";
  if (media_type == "image/webp") return "WebP";
  if (media_type == "application/vnd.mapbox-vector-tile") return "MVT";
  return std::string(media_type.substr(media_type.find('/') == std::string_view::npos ? 0 : media_type.find('/') + 1));
}

// The record of a named layer or feature type: its name as id, title (the name when
// it has none), abstract and keywords, as the three services spell them.
catalog::Record layer_record(xml::Node n, const std::string& name) {
  catalog::Record r;
  r.id = name;
  r.type = "dataset";
  r.title = xml::text(xml::child(n, "Title"));
  if (r.title.empty()) r.title = name;
  r.abstract = xml::text(xml::child(n, "Abstract"));
  if (auto k = keywords(n); !k.empty()) r.keywords.push_back({k, {}, {}, {}});
  return r;
}

// The item for a record made from the capabilities: its digest is the record's.
void add_item(SourcePage& page, catalog::Record record) {
  SourceItem item;
  item.source_id = record.id;
  item.digest = content_digest(catalog::to_json(record).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  item.read = [record = std::move(record)] { return record; };
  page.items.push_back(std::move(item));
}

struct Inherited {
  std::optional<core::Envelope> extent;
};

void read_layer(xml::Node layer, Inherited inherited, std::string_view service_url, SourcePage& page, int depth) {
  if (depth > 32 || page.items.size() >= kMaxLayers) return;
  if (auto e = wms_extent(layer)) inherited.extent = e;
  const std::string name = xml::text(xml::child(layer, "Name"));
  if (!name.empty()) {
    catalog::Record r = layer_record(layer, name);
    r.extent = inherited.extent;
    r.links.push_back({std::string(service_url), "service", "image/png", "OGC:WMS", name, r.title, "PNG"});
    add_item(page, std::move(r));
  }
  for (xml::Node child : xml::children(layer, "Layer")) read_layer(child, inherited, service_url, page, depth + 1);
}

xml::Node capabilities_root(const catalog::XmlDocPtr& doc, std::initializer_list<const char*> names) {
  xml::Node root = xmlDocGetRootElement(doc.get());
  if (xml::is(root, "ExceptionReport") || xml::is(root, "ServiceExceptionReport")) {
    std::string text = xml::text(root);
    if (text.size() > 300) text = text.substr(0, 300) + "...";
    throw core::ParsingFailed("capabilities", "the node answered with an exception: " + text);
  }
  for (const char* name : names)
    if (xml::is(root, name)) return root;
  throw core::ParsingFailed("capabilities", std::string("the answer is no ") + *names.begin() + " document");
}

}  // namespace

SourcePage read_wms_capabilities(std::string_view text, std::string_view service_url) {
  const auto doc = catalog::read_safe_xml(text, "capabilities", kMaxCapabilitiesBytes);
  xml::Node root = capabilities_root(doc, {"WMS_Capabilities", "WMT_MS_Capabilities"});
  SourcePage page;
  for (xml::Node layer : xml::children(xml::child(root, "Capability"), "Layer"))
    read_layer(layer, {}, service_url, page, 0);
  return page;
}

SourcePage read_wmts_capabilities(std::string_view text, std::string_view service_url) {
  const auto doc = catalog::read_safe_xml(text, "capabilities", kMaxCapabilitiesBytes);
  xml::Node root = capabilities_root(doc, {"Capabilities"});
  SourcePage page;
  for (xml::Node layer : xml::children(xml::child(root, "Contents"), "Layer")) {
    if (page.items.size() >= kMaxLayers) break;
    const std::string id = xml::text(xml::child(layer, "Identifier"));
    if (id.empty()) {
      page.failures.push_back({"layer", "a layer without an identifier"});
      continue;
    }
    catalog::Record r = layer_record(layer, id);
    r.extent = wgs84_box(layer);
    std::string format = xml::text(xml::child(layer, "Format"));
    if (format.empty()) format = "image/png";
    std::string matrix_sets;
    for (xml::Node link : xml::children(layer, "TileMatrixSetLink")) {
      const std::string set = xml::text(xml::child(link, "TileMatrixSet"));
      if (set.empty()) continue;
      matrix_sets += (matrix_sets.empty() ? "" : ", ") + set;
    }
    const std::string title = matrix_sets.empty() ? r.title : r.title + " (" + matrix_sets + ")";
    r.links.push_back({std::string(service_url), "service", format, "OGC:WMTS", id, title, format_name(format)});
    add_item(page, std::move(r));
  }
  return page;
}

SourcePage read_wfs_capabilities(std::string_view text, std::string_view service_url) {
  const auto doc = catalog::read_safe_xml(text, "capabilities", kMaxCapabilitiesBytes);
  xml::Node root = capabilities_root(doc, {"WFS_Capabilities"});
  SourcePage page;
  for (xml::Node type : xml::children(xml::child(root, "FeatureTypeList"), "FeatureType")) {
    if (page.items.size() >= kMaxLayers) break;
    const std::string name = xml::text(xml::child(type, "Name"));
    if (name.empty()) {
      page.failures.push_back({"feature type", "a feature type without a name"});
      continue;
    }
    catalog::Record r = layer_record(type, name);
    r.extent = wfs_extent(type);
    r.links.push_back({std::string(service_url), "service", "application/gml+xml", "OGC:WFS", name, r.title, "GML"});
    add_item(page, std::move(r));
  }
  return page;
}

}  // namespace amis::federation
