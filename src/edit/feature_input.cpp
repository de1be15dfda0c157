#include "edit/feature_input.hpp"

#include <charconv>
#include <cmath>
#include <memory>

#include <ogr_api.h>

#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::edit {
namespace {

using nlohmann::json;

struct GeometryCloser {
  void operator()(OGRGeometryH g) const { OGR_G_DestroyGeometry(g); }
};
using Geometry = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryCloser>;

// Deeper JSON than any feature needs is refused while it is read: the
// recursive steps after it (OGR's GeoJSON reader, dump) would exhaust the stack.
constexpr int kMaxDepth = 64;

json parse_object(std::string_view body, const char* what) {
  bool too_deep = false;
  json::parser_callback_t depth_guard = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > kMaxDepth) too_deep = true;
    return !too_deep;
  };
  auto doc = json::parse(body, depth_guard, false);
  if (too_deep)
    throw core::ParsingFailed("body", "the body nests deeper than " + std::to_string(kMaxDepth) + " levels");
  if (doc.is_discarded()) throw core::ParsingFailed("body", std::string("the body is not JSON: ") + what + " expected");
  if (!doc.is_object()) throw core::ParsingFailed("body", std::string("the body is not a JSON object: ") + what + " expected");
  return doc;
}

// The geometry type a collection declares, as OGR's (wkbUnknown for GEOMETRY).
OGRwkbGeometryType declared_type(const std::string& name) {
  static const std::pair<const char*, OGRwkbGeometryType> kTypes[] = {
      {"POINT", wkbPoint}, {"LINESTRING", wkbLineString}, {"POLYGON", wkbPolygon},
      {"MULTIPOINT", wkbMultiPoint}, {"MULTILINESTRING", wkbMultiLineString},
      {"MULTIPOLYGON", wkbMultiPolygon}, {"GEOMETRYCOLLECTION", wkbGeometryCollection}};
  for (const auto& [n, t] : kTypes)
    if (name == n) return t;
  return wkbUnknown;
}

std::vector<std::uint8_t> checked(const core::Collection& collection, Geometry g) {
  if (OGR_G_Is3D(g.get())) OGR_G_Set3D(g.get(), FALSE);
  if (OGR_G_IsMeasured(g.get())) OGR_G_SetMeasured(g.get(), FALSE);

  const OGRwkbGeometryType wanted = declared_type(collection.geometry_type);
  OGRwkbGeometryType given = wkbFlatten(OGR_G_GetGeometryType(g.get()));
  if (wanted != wkbUnknown && given != wanted && OGR_GT_GetCollection(given) == wanted) {
    g.reset(OGR_G_ForceTo(g.release(), wanted, nullptr));  // a Polygon in a MULTIPOLYGON collection
    given = wanted;
  }
  if (wanted != wkbUnknown && given != wanted)
    throw core::InvalidValue("geometry", "collection '" + collection.id + "' holds " + collection.geometry_type +
                                             " geometries, not " + OGRGeometryTypeToName(given));
  if (OGR_G_IsEmpty(g.get())) throw core::InvalidValue("geometry", "the geometry is empty");
  OGREnvelope e;
  OGR_G_GetEnvelope(g.get(), &e);
  if (!std::isfinite(e.MinX) || !std::isfinite(e.MaxX) || e.MinX < -180 || e.MaxX > 180 || e.MinY < -90 ||
      e.MaxY > 90)
    throw core::InvalidValue("geometry",
                             "coordinates must be longitude/latitude in CRS84 (longitude -180..180, latitude -90..90)");
  if (!OGR_G_IsValid(g.get()))
    throw core::InvalidValue("geometry", "the geometry is not valid (OGC Simple Features: self-intersection, "
                                         "unclosed ring or too few points)");
  std::vector<std::uint8_t> wkb(static_cast<std::size_t>(OGR_G_WkbSize(g.get())));
  OGR_G_ExportToIsoWkb(g.get(), wkbNDR, wkb.data());
  return wkb;
}

std::vector<std::uint8_t> read_geometry(const core::Collection& collection, const json& geometry) {
  if (geometry.is_null()) return {};
  if (!geometry.is_object()) throw core::InvalidValue("geometry", "the geometry is not a GeoJSON object");
  Geometry g(OGR_G_CreateGeometryFromJson(geometry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str()));
  if (!g) throw core::InvalidValue("geometry", "the geometry is not valid GeoJSON");
  return checked(collection, std::move(g));
}

json checked_value(const core::Property& p, const json& v) {
  if (v.is_null()) return nullptr;
  auto wrong = [&](const char* expected) -> json {
    throw core::InvalidValue("properties." + p.name, "property '" + p.name + "' takes " + expected + ", not " +
                                                          v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
  switch (p.type) {
    case core::PropertyType::Integer:
      if (v.is_number_integer()) return v.get<std::int64_t>();
      if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
      }
      return wrong("an integer");
    case core::PropertyType::Real:
      if (v.is_number()) return v.get<double>();
      return wrong("a number");
    case core::PropertyType::Boolean:
      if (v.is_boolean()) return v;
      return wrong("true or false");
    case core::PropertyType::Date:
      if (v.is_string() && v.get_ref<const std::string&>().size() == 10 &&
          core::parse_instant(v.get_ref<const std::string&>()))
        return v;
      return wrong("a date (YYYY-MM-DD)");
    case core::PropertyType::DateTime:
      if (v.is_string() && v.get_ref<const std::string&>().find('T') != std::string::npos) {
        if (auto instant = core::parse_instant(v.get_ref<const std::string&>())) return *instant;
      }
      return wrong("a date-time (RFC 3339)");
    case core::PropertyType::Text:
      if (v.is_string()) return v;
      return wrong("a string");
  }
  return wrong("a value");
}

}  // namespace

std::vector<std::uint8_t> checked_geometry(const core::Collection& collection, std::span<const std::uint8_t> wkb) {
  if (wkb.empty()) return {};
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(const_cast<std::uint8_t*>(wkb.data()), nullptr, &g, wkb.size()) != OGRERR_NONE || !g)
    throw core::InvalidValue("geometry", "the geometry cannot be read");
  return checked(collection, Geometry(g));
}

json value_from_text(const core::Property& p, const std::string& text) {
  if (text.empty() && p.type != core::PropertyType::Text) return nullptr;
  try {
    (void)json(text).dump();  // throws for text that is not UTF-8
  } catch (const json::type_error&) {
    throw core::InvalidValue(p.name, "the value of '" + p.name + "' is not UTF-8 text");
  }
  auto wrong = [&](const char* expected) -> json {
    throw core::InvalidValue(p.name, "property '" + p.name + "' takes " + expected + ", not '" + text.substr(0, 40) + "'");
  };
  switch (p.type) {
    case core::PropertyType::Integer: {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc{} || end != text.data() + text.size()) return wrong("an integer");
      return v;
    }
    case core::PropertyType::Real: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return wrong("a number");
      return v;
    }
    case core::PropertyType::Boolean:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      return wrong("true or false");
    default: return text;
  }
}

json checked_properties(const core::Collection& collection, const json& properties) {
  if (!properties.is_null() && !properties.is_object())
    throw core::InvalidValue("properties", "'properties' must be an object or null");
  json out = json::object();
  for (const auto& p : collection.properties) out[p.name] = nullptr;
  if (properties.is_object()) {
    for (const auto& [name, value] : properties.items()) {
      const auto* p = collection.property(name);
      if (!p) throw core::InvalidValue("properties." + name, "collection '" + collection.id + "' has no property '" +
                                                                 name + "'");
      out[name] = checked_value(*p, value);
    }
  }
  return out;
}

FeatureState read_feature(const core::Collection& collection, std::string_view body) {
  const json doc = parse_object(body, "a GeoJSON Feature");
  const auto type = doc.find("type");
  if (type == doc.end() || !type->is_string() || *type != "Feature") throw core::ParsingFailed("body", "a GeoJSON Feature (\"type\": \"Feature\") expected");
  if (!doc.contains("geometry")) throw core::ParsingFailed("body", "a GeoJSON Feature needs a \"geometry\" member");
  FeatureState state;
  state.wkb = read_geometry(collection, doc["geometry"]);
  state.properties = checked_properties(collection, doc.value("properties", json()));
  return state;
}

FeatureState merge_patch(const core::Collection& collection, FeatureState current, std::string_view body) {
  const json patch = parse_object(body, "a JSON merge patch of a GeoJSON Feature");
  for (const auto& [name, value] : patch.items()) {
    if (name == "geometry") {
      current.wkb = read_geometry(collection, value);
    } else if (name == "properties") {
      if (!value.is_object()) throw core::InvalidValue("properties", "'properties' of a merge patch must be an object");
      // RFC 7396; only the values patched are checked, and null removes a value.
      const json patched = checked_properties(collection, value);
      for (const auto& [property, v] : value.items()) current.properties[property] = patched[property];
    } else if (name != "type" && name != "id") {
      throw core::InvalidValue(name, "a feature patch may change 'geometry' and 'properties' only");
    }
  }
  return current;
}

}  // namespace amis::edit
