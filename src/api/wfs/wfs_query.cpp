#include "api/wfs/wfs_query.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "api/common/downloads.hpp"
#include "core/error.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/xml_text.hpp"
#include "query/fes.hpp"
#include "query/projected_box.hpp"

namespace amis::api::wfs {
namespace {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find(separator, start);
    std::string part(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    out.push_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::int64_t non_negative(const std::string& text, const char* locator) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < 0)
    throw core::InvalidParameter(locator, "'" + text.substr(0, 40) + "' is not a non-negative integer");
  return v;
}

core::SrsName srs_or_fail(const std::string& text, const char* locator) {
  auto srs = core::parse_srs_name(text);
  if (!srs) throw core::InvalidParameter(locator, "'" + text.substr(0, 80) + "' is not a CRS this server knows");
  return *srs;
}

// BBOX=a,b,c,d[,crs] in that CRS's axis order (WFS 2.0, 7.9.2.4.? / OWS 10.2.3): its
// CRS84 envelope, and in a projected CRS the box's own shape as a condition.
struct BoxSelection {
  core::Envelope envelope;
  std::optional<core::Expression> shape;
};

BoxSelection bbox_to_crs84(const std::string& text, const core::SrsName& default_crs) {
  auto parts = split(text, ',');
  core::SrsName srs = default_crs;
  if (parts.size() == 5) {
    srs = srs_or_fail(parts[4], "bbox");
    parts.pop_back();
  }
  if (parts.size() != 4) throw core::InvalidParameter("bbox", "expected minx,miny,maxx,maxy[,crs]");
  double v[4];
  for (int i = 0; i < 4; ++i) {
    const auto& p = parts[static_cast<size_t>(i)];
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v[i]);
    if (ec != std::errc{} || end != p.data() + p.size() || !std::isfinite(v[i]))
      throw core::InvalidParameter("bbox", "'" + p.substr(0, 40) + "' is not a number");
  }
  if (v[0] > v[2] || v[1] > v[3]) throw core::InvalidParameter("bbox", "the lower corner lies above the upper corner");
  if (srs.crs.is_crs84()) return {{v[0], v[1], v[2], v[3]}, std::nullopt};
  if (srs.crs.epsg == 4326 && !srs.east_north) return {{v[1], v[0], v[3], v[2]}, std::nullopt};
  const encode::CoordinateTransform inverse(srs.crs, "bbox", /*inverse=*/true, srs.east_north);
  return {inverse.to_crs84_bounds(v[0], v[1], v[2], v[3]),
          query::projected_box_condition({v[0], v[1], v[2], v[3]}, srs.crs, inverse, "bbox")};
}

std::string normalised_format(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '"') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

core::SrsName default_srs(bool wfs_2_0) {
  return wfs_2_0 ? core::SrsName{core::Crs{4326}, false, "urn:ogc:def:crs:EPSG::4326"}
                 : core::SrsName{core::Crs{4326}, false, "urn:x-ogc:def:crs:EPSG:4326"};
}

std::optional<std::string> collection_id_of(std::string_view type_name, const std::vector<std::string>& prefixes) {
  const auto colon = type_name.find(':');
  if (colon != std::string_view::npos) {
    const auto prefix = type_name.substr(0, colon);
    if (prefix != "amis" && std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end())
      return std::nullopt;
    type_name.remove_prefix(colon + 1);
  }
  if (type_name.empty()) return std::nullopt;
  return std::string(type_name);
}

std::optional<std::int64_t> feature_id_of(std::string_view rid, const core::Collection& collection) {
  const auto dot = rid.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto type = rid.substr(0, dot);
  if (type != encode::xml_name(collection.id) && type != collection.id) return std::nullopt;
  const auto number = rid.substr(dot + 1);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), id);
  if (ec != std::errc{} || end != number.data() + number.size()) return std::nullopt;
  return id;
}

WfsQuery type_query(const WfsRequest& r, const core::Collection& c, bool wfs_2_0) {
  WfsQuery w;
  auto& q = w.query;
  q.collection = c.id;
  w.srs = r.srs_name.empty() ? default_srs(wfs_2_0) : srs_or_fail(r.srs_name, "srsName");
  if (!w.srs.crs.is_crs84()) {
    // Refuse a CRS PROJ does not know before any output is written.
    encode::CoordinateTransform probe(w.srs.crs, "srsName", false, w.srs.east_north);
  }
  if (!r.bbox.empty()) {
    if (!r.filter.empty() || !r.resource_id.empty())
      throw core::InvalidParameter("bbox", "BBOX, FILTER and RESOURCEID are mutually exclusive (use a BBOX operator in the filter)");
    auto box = bbox_to_crs84(r.bbox, w.srs);
    q.bbox = box.envelope;
    q.filter = query::and_condition(nullptr, std::move(box.shape));
  }

  std::vector<std::string> rids;
  if (!r.filter.empty()) {
    if (!r.resource_id.empty())
      throw core::InvalidParameter("filter", "FILTER and RESOURCEID are mutually exclusive");
    auto filter = query::parse_fes_filter_text(r.filter, {c, w.srs});
    if (filter.expression) q.filter = std::make_shared<const core::Expression>(std::move(*filter.expression));
    rids = std::move(filter.resource_ids);
  }
  if (!r.resource_id.empty()) rids = split(r.resource_id, ',');
  if (!rids.empty()) {
    if (rids.size() > 10000) throw core::InvalidParameter("resourceId", "more than 10000 identifiers");
    q.ids.emplace();
    for (const auto& rid : rids)
      if (auto id = feature_id_of(rid, c)) q.ids->push_back(*id);
  }

  if (!r.sortby.empty()) {
    for (const auto& key : split(r.sortby, ',')) {
      auto words = split(key, ' ');
      std::erase(words, std::string());
      if (words.empty() || words.size() > 2) throw core::InvalidParameter("sortBy", "'" + key + "' is not 'property [ASC|DESC]'");
      auto property = query::resolve_value_reference(words[0], c);
      if (!property || *property == "geometry")
        throw core::InvalidParameter("sortBy", "'" + words[0].substr(0, 80) + "' is not a property of " + c.id);
      bool descending = false;
      if (words.size() == 2) {
        if (words[1] == "DESC" || words[1] == "D") descending = true;
        else if (words[1] != "ASC" && words[1] != "A")
          throw core::InvalidParameter("sortBy", "sort order '" + words[1] + "' is not ASC or DESC");
      }
      q.sortby.push_back({*property, descending});
    }
  }

  const bool every_property = r.property_names.size() == 1 && r.property_names[0] == "*";
  if (!r.property_names.empty() && !every_property) {
    std::vector<std::string> names;
    for (const auto& name : r.property_names) {
      auto property = query::resolve_value_reference(name, c);
      if (!property) throw core::InvalidParameter("propertyName", "'" + name.substr(0, 80) + "' is not a property of " + c.id);
      if (*property != "geometry") names.push_back(*property);
    }
    q.properties = std::move(names);
  }

  q.limit = std::numeric_limits<std::int64_t>::max();
  if (r.count) {
    q.limit = non_negative(*r.count, "count");
    w.paged = true;
  }
  if (r.start_index) q.offset = non_negative(*r.start_index, "startIndex");
  return w;
}

OutputFormat parse_output_format(std::string_view text, bool wfs_2_0) {
  const std::string f = normalised_format(text);
  if (f.empty()) return wfs_2_0 ? OutputFormat::Gml32 : OutputFormat::Gml311;
  if (f == "application/gml+xml;version=3.2" || f == "text/xml;subtype=gml/3.2" || f == "gml32" ||
      f == "text/xml;subtype=gml/3.2.1" || f == "application/gml+xml")
    return OutputFormat::Gml32;
  if (f == "text/xml;subtype=gml/3.1.1" || f == "gml3" || f == "text/xml" || f == "application/gml+xml;version=3.1")
    return OutputFormat::Gml311;
  if (f == "application/json" || f == "application/geo+json" || f == "json" || f == "geojson")
    return OutputFormat::GeoJson;
  if (find_download_format(text)) return OutputFormat::Download;
  throw core::InvalidParameter("outputFormat", "'" + std::string(text).substr(0, 80) + "' is not offered");
}

}  // namespace amis::api::wfs
