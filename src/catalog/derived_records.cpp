#include "catalog/derived_records.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace amis::catalog {
namespace {

constexpr const char* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

std::string enc(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// A map of the layer over its extent, drawn by AMIS's own WMS: the thumbnail.
std::string thumbnail(std::string_view layer, std::string_view style, const core::Envelope& e) {
  const double w = std::max(e.max_x - e.min_x, 1e-6), h = std::max(e.max_y - e.min_y, 1e-6);
  const int width = 256;
  const int height = std::clamp(static_cast<int>(std::lround(width * h / w)), 32, 512);
  return "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=" + enc(layer) + "&STYLES=" + enc(style) +
         "&CRS=CRS:84&BBOX=" + number(e.min_x) + "," + number(e.min_y) + "," + number(e.max_x) + "," +
         number(e.max_y) + "&WIDTH=" + std::to_string(width) + "&HEIGHT=" + std::to_string(height) +
         "&FORMAT=image/png";
}

void map_services(Record& r, std::string_view layer) {
  r.links.push_back({"/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0", "service", "text/xml", "OGC:WMS",
                     std::string(layer), "WMS 1.3.0", ""});
  r.links.push_back({"/wmts/1.0.0/WMTSCapabilities.xml", "service", "application/xml", "OGC:WMTS",
                     std::string(layer), "WMTS 1.0.0", ""});
}

void common(Record& r, const DerivationContext& context) {
  r.origin = RecordOrigin::Derived;
  r.reference_system = kCrs84;
  r.update_frequency = "asNeeded";
  r.language = "eng";
  r.topic_categories = {"geoscientificInformation"};
  if (!context.publisher.empty()) r.contacts = {{"", context.publisher, "", "", "", "publisher"}};
}

// A collection's extent as a record can carry it: clamped to CRS84's range (an
// imported layer may reach slightly past it), none when it is not a box.
std::optional<core::Envelope> record_extent(const std::optional<core::Envelope>& e) {
  if (!e || e->empty() || !std::isfinite(e->min_x) || !std::isfinite(e->min_y) || !std::isfinite(e->max_x) ||
      !std::isfinite(e->max_y))
    return std::nullopt;
  return core::Envelope{std::clamp(e->min_x, -180.0, 180.0), std::clamp(e->min_y, -90.0, 90.0),
                        std::clamp(e->max_x, -180.0, 180.0), std::clamp(e->max_y, -90.0, 90.0)};
}

std::string lineage(const std::string& attribution) {
  return attribution.empty() ? "Published by AMIS." : "Published by AMIS from data by " + attribution + ".";
}

}  // namespace

std::string collection_record_id(std::string_view collection) { return "amis:collection:" + std::string(collection); }
std::string raster_record_id(std::string_view raster) { return "amis:raster:" + std::string(raster); }
std::string style_record_id(std::string_view collection, std::string_view style) {
  return "amis:style:" + std::string(collection) + ":" + std::string(style);
}

namespace {

// A collection's (or a cascaded layer's) record: what its metadata says.
Record dataset_record(const core::Collection& c, const DerivationContext& context) {
  Record r;
  common(r, context);
  r.id = collection_record_id(c.id);
  r.type = "dataset";
  r.title = c.title.empty() ? c.id : c.title;
  r.abstract = c.description;
  if (!c.keywords.empty()) r.keywords.push_back({c.keywords, "", "", ""});
  r.licence = c.licence;
  r.attribution = c.attribution;
  r.lineage = lineage(c.attribution);
  r.extent = record_extent(c.extent);
  return r;
}

}  // namespace

Record collection_record(const core::Collection& c, const DerivationContext& context) {
  Record r = dataset_record(c, context);
  r.temporal_extent = c.temporal_extent;
  r.feature_count = c.feature_count;
  r.revised = c.updated;
  const std::string path = "/collections/" + enc(c.id);
  r.links.push_back({path + "/items", "items", "application/geo+json", "OGC API - Features", c.id, "Features (GeoJSON)", "GeoJSON"});
  r.links.push_back({path, "collection", "application/json", "OGC API - Features", c.id, "Collection", ""});
  r.links.push_back({path + "/items?f=html", "alternate", "text/html", "", c.id, "Features (HTML map)", ""});
  r.links.push_back({"/wfs?SERVICE=WFS&REQUEST=GetCapabilities", "service", "application/xml", "OGC:WFS",
                     "amis:" + c.id, "WFS 2.0.0", ""});
  map_services(r, c.id);
  r.links.push_back({path + "/tiles", "tilesets-vector", "application/json", "OGC API - Tiles", c.id,
                     "Vector tiles (MVT)", "MVT"});
  r.links.push_back({path + "/map/tiles", "tilesets-map", "application/json", "OGC API - Tiles", c.id,
                     "Map tiles (PNG)", "PNG"});
  r.links.push_back({path + "/items?f=json&download=true&limit=1000000", "enclosure", "application/geo+json",
                     "WWW:DOWNLOAD-1.0-http--download", c.id, "Download GeoJSON", "GeoJSON"});
  for (const auto& d : context.downloads)
    r.links.push_back({path + "/items?f=" + enc(d.f) + "&limit=1000000", "enclosure", d.media_type,
                       "WWW:DOWNLOAD-1.0-http--download", c.id, "Download " + d.format, d.format});
  if (r.extent) r.thumbnail = thumbnail(c.id, "", *r.extent);
  return r;
}

Record raster_record(const store::RasterLayer& raster, const DerivationContext& context) {
  Record r;
  common(r, context);
  r.id = raster_record_id(raster.id);
  r.type = "dataset";
  r.title = raster.title.empty() ? raster.id : raster.title;
  r.abstract = raster.description;
  r.keywords.push_back({{"raster", "grid"}, "", "", ""});
  r.licence = raster.licence;
  r.attribution = raster.attribution;
  r.lineage = lineage(raster.attribution);
  r.extent = record_extent(raster.extent);
  // Its values: OGC API - Coverages and WCS (2.0.1, and 1.0.0 for QGIS), then its maps.
  const std::string path = "/collections/" + enc(raster.id);
  r.links.push_back({path + "/coverage", "http://www.opengis.net/def/rel/ogc/1.0/coverage",
                     "image/tiff; application=geotiff", "OGC API - Coverages", raster.id, "Coverage (GeoTIFF)",
                     "GeoTIFF"});
  r.links.push_back({path, "collection", "application/json", "OGC API - Coverages", raster.id, "Collection", ""});
  r.links.push_back({"/wcs?SERVICE=WCS&REQUEST=GetCapabilities", "service", "application/xml", "OGC:WCS", raster.id,
                     "WCS 2.0.1", ""});
  map_services(r, raster.id);
  r.links.push_back({path + "/map/tiles", "tilesets-map", "application/json", "OGC API - Tiles", raster.id,
                     "Map tiles (PNG)", "PNG"});
  if (r.extent) r.thumbnail = thumbnail(raster.id, "", *r.extent);
  return r;
}

Record style_record(const store::StoredStyle& style, const core::Collection& c, const DerivationContext& context) {
  Record r;
  common(r, context);
  r.id = style_record_id(c.id, style.name);
  r.type = "map";
  r.title = (style.title.empty() ? style.name : style.title) + " (" + (c.title.empty() ? c.id : c.title) + ")";
  r.abstract = style.abstract.empty() ? "A map of " + (c.title.empty() ? c.id : c.title) + " drawn with style '" +
                                            style.name + "'."
                                      : style.abstract;
  r.keywords.push_back({{"map", "style"}, "", "", ""});
  if (!c.keywords.empty()) r.keywords.push_back({c.keywords, "", "", ""});
  r.licence = c.licence;
  r.attribution = c.attribution;
  r.lineage = lineage(c.attribution);
  r.extent = record_extent(c.extent);
  r.revised = style.updated;
  r.parent_id = collection_record_id(c.id);
  const std::string path = "/collections/" + enc(c.id) + "/styles/" + enc(style.name);
  r.links.push_back({path, "stylesheet", "application/vnd.ogc.sld+xml;version=1.0", "OGC:SLD", style.name,
                     "Style (SLD)", "SLD"});
  map_services(r, c.id);
  if (r.extent) r.thumbnail = thumbnail(c.id, style.name, *r.extent);
  return r;
}

Record cascaded_record(const CascadedSource& source, const DerivationContext& context) {
  const auto& c = source.collection;
  Record r;
  if (source.map_only) {
    r = dataset_record(c, context);
    r.links.push_back({"/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0", "service", "text/xml", "OGC:WMS", c.id,
                       "WMS 1.3.0", ""});
    if (r.extent) r.thumbnail = thumbnail(c.id, "", *r.extent);
  } else {
    r = collection_record(c, context);
    r.feature_count.reset();  // counted by the node, not here
  }
  const std::string what = source.map_only ? "layer" : "collection";
  r.lineage = "Cascaded from the national node " + source.node + (source.country.empty() ? "" : " (" + source.country + ")") +
              ", " + what + " '" + source.source_id + "': AMIS reads it from the node at each request; the node "
              "keeps it authoritative.";
  r.provenance = Provenance{source.node, source.source_id, source.published, ""};
  r.country = source.country;
  r.revised = source.published;
  return r;
}

namespace {

// A resource whose record would be invalid (an id no record may have) is left out
// of the catalogue rather than stopping it.
void add_valid(std::vector<Record>& out, Record r) {
  try {
    validate(r);
    out.push_back(std::move(r));
  } catch (const core::OgcError& e) {
    spdlog::warn("catalogue: no record for {}: {}", r.id, e.what());
  }
}

}  // namespace

std::vector<Record> derive_records(store::Store& store, const DerivationContext& context) {
  std::vector<Record> out;
  for (const auto& c : store.collections()) {
    if (!context.is_public(c.id)) continue;
    add_valid(out, collection_record(c, context));
    for (const auto& s : store.styles(c.id)) add_valid(out, style_record(s, c, context));
  }
  for (const auto& raster : store.rasters())
    if (context.is_public(raster.id)) add_valid(out, raster_record(raster, context));
  if (context.cascaded)
    for (const auto& source : context.cascaded())
      if (context.is_public(source.collection.id)) add_valid(out, cascaded_record(source, context));
  return out;
}

std::string RecordKeeper::cascaded_signature() {
  std::string out;
  if (!context_.cascaded) return out;
  for (const auto& s : context_.cascaded())
    out += s.collection.id + '\n' + s.node + '\n' + s.source_id + '\n' + s.published + '\n';
  return out;
}

std::int64_t RecordKeeper::ensure_current() {
  if (catalog_.derived_version() == catalog_.sources_version()) {
    std::lock_guard lock(mutex_);
    if (cascaded_signature() == cascaded_seen_) return 0;
  }
  return refresh();
}

std::int64_t RecordKeeper::refresh() {
  std::lock_guard lock(mutex_);
  const std::int64_t version = catalog_.sources_version();
  const std::string cascaded = cascaded_signature();
  const auto changed = catalog_.replace_derived(derive_records(store_, context_), version);
  cascaded_seen_ = cascaded;
  return changed;
}

}  // namespace amis::catalog
