#include "query/fes.hpp"

#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "core/datetime.hpp"
#include "core/error.hpp"
#include "core/filter_functions.hpp"
#include "query/join_conditions.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/geojson_writer.hpp"
#include "encode/xml_text.hpp"
#include "query/cql2.hpp"
#include "query/filter_crs.hpp"
#include "query/geometry_literal.hpp"
#include "query/xml_document.hpp"

namespace amis::query {
namespace {

using core::Expression;
using Kind = Expression::Kind;

[[noreturn]] void fail(const std::string& why) { throw core::InvalidParameter("filter", why); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<pugi::xml_node> elements(const pugi::xml_node& node) {
  std::vector<pugi::xml_node> out;
  for (auto child : node.children())
    if (child.type() == pugi::node_element) out.push_back(child);
  return out;
}

// FES element names → the Expression operator names (CQL2-JSON spelling).
const std::map<std::string_view, std::string_view>& comparison_operators() {
  static const std::map<std::string_view, std::string_view> ops = {
      {"PropertyIsEqualTo", "="},         {"PropertyIsNotEqualTo", "<>"},
      {"PropertyIsLessThan", "<"},        {"PropertyIsGreaterThan", ">"},
      {"PropertyIsLessThanOrEqualTo", "<="}, {"PropertyIsGreaterThanOrEqualTo", ">="}};
  return ops;
}

const std::map<std::string_view, std::string_view>& spatial_operators() {
  static const std::map<std::string_view, std::string_view> ops = {
      {"BBOX", "s_intersects"},     {"Intersects", "s_intersects"}, {"Equals", "s_equals"},
      {"Disjoint", "s_disjoint"},   {"Touches", "s_touches"},       {"Within", "s_within"},
      {"Overlaps", "s_overlaps"},   {"Crosses", "s_crosses"},       {"Contains", "s_contains"}};
  return ops;
}

const std::map<std::string_view, std::string_view>& temporal_operators() {
  static const std::map<std::string_view, std::string_view> ops = {
      {"After", "t_after"},           {"Before", "t_before"},         {"Begins", "t_starts"},
      {"BegunBy", "t_startedBy"},     {"TContains", "t_contains"},    {"During", "t_during"},
      {"TEquals", "t_equals"},        {"TOverlaps", "t_overlaps"},    {"Meets", "t_meets"},
      {"OverlappedBy", "t_overlappedBy"}, {"MetBy", "t_metBy"},       {"EndedBy", "t_finishedBy"},
      {"Ends", "t_finishes"},         {"AnyInteracts", "t_intersects"}};
  return ops;
}

const std::map<std::string_view, std::string_view>& arithmetic_operators() {  // FES 1.1
  static const std::map<std::string_view, std::string_view> ops = {
      {"Add", "+"}, {"Sub", "-"}, {"Mul", "*"}, {"Div", "/"}};
  return ops;
}

void swap_xy(Expression& literal) {
  if (literal.kind == Kind::Envelope) {
    auto& e = literal.envelope;
    std::swap(e.min_x, e.min_y);
    std::swap(e.max_x, e.max_y);
    return;
  }
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(literal.wkb.data(), nullptr, &g, literal.wkb.size()) != OGRERR_NONE || !g)
    fail("unreadable geometry literal");
  OGR_G_SwapXY(g);
  literal.wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, literal.wkb.data());
  OGR_G_DestroyGeometry(g);
}

// A geometry literal read in `srs`, brought to CRS84 (longitude, latitude).
void to_crs84(Expression& literal, const core::SrsName& srs) {
  if (srs.crs.is_crs84()) return;
  if (srs.east_north && encode::north_first(srs.crs)) swap_xy(literal);
  try {
    transform_literals_to_crs84(literal, srs.crs);
  } catch (const core::OgcError& e) {
    fail(std::string("a geometry cannot be read in ") + srs.text + ": " + e.what());
  }
}

std::vector<double> numbers(std::string_view text, const char* what) {
  std::vector<double> out;
  text = trim(text);
  while (!text.empty()) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || !std::isfinite(v))
      fail(std::string("'") + std::string(text.substr(0, 40)) + "' in " + what + " is not a number");
    out.push_back(v);
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    text = trim(text);
  }
  return out;
}

// A UTC offset's '+' that a client left unencoded in a KVP FILTER (QGIS 3.22's
// WFS provider does) is decoded as a space: "2024-01-03T00:00:00 07:00". Nothing
// else puts a space between a time and hh:mm, so it is read as the '+' it was.
std::string offset_plus_restored(std::string_view text) {
  std::string out(text);
  const auto space = out.rfind(' ');
  if (space == std::string::npos || space == 0 || out.find('T') > space) return out;
  const std::string_view offset = std::string_view(out).substr(space + 1);
  auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const bool hh_mm = offset.size() == 5 && offset[2] == ':' && digits(offset.substr(0, 2)) && digits(offset.substr(3));
  if (hh_mm && out[space - 1] >= '0' && out[space - 1] <= '9') out[space] = '+';
  return out;
}

class FesReader {
 public:
  explicit FesReader(const FesContext& context) : c_(context) {}

  // A geometry on its own (a feature's, in a WFS transaction).
  Expression geometry(const pugi::xml_node& node) { return geometry_operand(node); }

  FesFilter filter(const pugi::xml_node& node) {
    FesFilter result;
    const auto children = elements(node);
    if (children.empty()) fail("the filter is empty");
    for (const auto& child : children) {
      const auto name = local_name(child);
      if (name == "ResourceId" || name == "FeatureId" || name == "GmlObjectId") {
        std::string rid = child.attribute("rid").value();
        if (rid.empty()) rid = child.attribute("fid").value();
        if (rid.empty()) rid = child.attribute("gml:id").value();
        if (rid.empty()) fail("a " + std::string(name) + " without an identifier");
        result.resource_ids.push_back(rid);
      }
    }
    if (!result.resource_ids.empty()) {
      if (result.resource_ids.size() != children.size())
        fail("resource identifiers cannot be mixed with other operators");
      return result;
    }
    if (children.size() != 1) fail("a filter holds exactly one operator");
    result.expression = predicate(children[0], 1);
    read_join_conditions(*result.expression);
    check_crs84_literals(*result.expression);
    return result;
  }

 private:
  Expression predicate(const pugi::xml_node& node, int depth) {
    if (depth > kMaxFilterDepth) fail("the filter nests deeper than " + std::to_string(kMaxFilterDepth) + " levels");
    const auto name = local_name(node);
    const auto operands = elements(node);
    if (name == "And" || name == "Or") {
      if (operands.size() < 2) fail(std::string(name) + " needs at least two operands");
      std::vector<Expression> args;
      for (const auto& o : operands) args.push_back(predicate(o, depth + 1));
      return Expression::op(name == "And" ? "and" : "or", std::move(args));
    }
    if (name == "Not") {
      if (operands.size() != 1) fail("Not needs exactly one operand");
      return Expression::op("not", {predicate(operands[0], depth + 1)});
    }
    if (auto it = comparison_operators().find(name); it != comparison_operators().end())
      return comparison(node, std::string(it->second), operands, depth);
    if (name == "PropertyIsLike") return like(node, operands, depth);
    if (name == "PropertyIsNull" || name == "PropertyIsNil") {
      if (operands.size() != 1) fail(std::string(name) + " needs one value reference");
      return Expression::op("isNull", {expression(operands[0], depth + 1)});
    }
    if (name == "PropertyIsBetween") return between(operands, depth);
    if (auto it = spatial_operators().find(name); it != spatial_operators().end())
      return spatial(name, std::string(it->second), operands);
    if (auto it = temporal_operators().find(name); it != temporal_operators().end())
      return temporal(name, std::string(it->second), operands);
    if (name == "Function") return expression(node, depth);  // a boolean function: a spatial join
    if (name == "DWithin" || name == "Beyond")
      throw core::OgcError(400, "OptionNotSupported", "the " + std::string(name) + " operator is not supported", "filter");
    fail("unknown filter operator '" + std::string(node.name()) + "'");
  }

  Expression comparison(const pugi::xml_node& node, std::string op, const std::vector<pugi::xml_node>& operands,
                        int depth) {
    if (operands.size() != 2) fail(std::string(local_name(node)) + " needs two operands");
    Expression a = expression(operands[0], depth + 1);
    Expression b = expression(operands[1], depth + 1);
    coerce(a, b);
    coerce(b, a);
    if (is_numeric(a) && b.kind == Kind::String) b = number_or_string(b.text);
    if (is_numeric(b) && a.kind == Kind::String) a = number_or_string(a.text);
    if (!match_case(node) && is_text(a) && is_text(b)) {
      a = Expression::op("casei", {std::move(a)});
      b = Expression::op("casei", {std::move(b)});
    }
    return Expression::op(std::move(op), {std::move(a), std::move(b)});
  }

  Expression like(const pugi::xml_node& node, const std::vector<pugi::xml_node>& operands, int depth) {
    if (operands.size() != 2) fail("PropertyIsLike needs a value reference and a pattern");
    Expression subject = expression(operands[0], depth + 1);
    const std::string wild = attribute(node, "wildCard", "*");
    const std::string single = attribute(node, "singleChar", "?");
    std::string escape = node.attribute("escapeChar").value();
    if (escape.empty()) escape = node.attribute("escape").value();  // FES 1.1
    if (escape.empty()) escape = "\\";
    if (wild.empty() || single.empty()) fail("PropertyIsLike needs a wildCard and a singleChar");
    if (local_name(operands[1]) != "Literal") fail("the pattern of PropertyIsLike must be a Literal");
    const std::string text = operands[1].child_value();
    Expression pattern;
    pattern.kind = Kind::String;
    for (std::size_t i = 0; i < text.size();) {
      auto at = [&](const std::string& token) { return text.compare(i, token.size(), token) == 0; };
      if (at(escape) && i + escape.size() < text.size()) {
        i += escape.size();
        const char c = text[i++];
        if (c == '%' || c == '_' || c == '\\') pattern.text += '\\';
        pattern.text += c;
      } else if (at(wild)) {
        pattern.text += '%';
        i += wild.size();
      } else if (at(single)) {
        pattern.text += '_';
        i += single.size();
      } else {
        const char c = text[i++];
        if (c == '%' || c == '_' || c == '\\') pattern.text += '\\';
        pattern.text += c;
      }
    }
    if (!match_case(node))
      return Expression::op("like", {Expression::op("casei", {std::move(subject)}),
                                     Expression::op("casei", {std::move(pattern)})});
    return Expression::op("like", {std::move(subject), std::move(pattern)});
  }

  Expression between(const std::vector<pugi::xml_node>& operands, int depth) {
    if (operands.size() != 3) fail("PropertyIsBetween needs a value, a LowerBoundary and an UpperBoundary");
    Expression subject = expression(operands[0], depth + 1);
    auto boundary = [&](const pugi::xml_node& n, std::string_view expected) {
      if (local_name(n) != expected) fail("PropertyIsBetween needs a " + std::string(expected));
      const auto inner = elements(n);
      if (inner.size() != 1) fail(std::string(expected) + " holds one expression");
      Expression e = expression(inner[0], depth + 2);
      coerce(subject, e);
      return e;
    };
    Expression lo = boundary(operands[1], "LowerBoundary");
    Expression hi = boundary(operands[2], "UpperBoundary");
    return Expression::op("between", {std::move(subject), std::move(lo), std::move(hi)});
  }

  Expression spatial(std::string_view name, std::string op, const std::vector<pugi::xml_node>& operands) {
    std::vector<pugi::xml_node> nodes = operands;
    if (nodes.size() == 1 && name == "BBOX") {
      Expression geometry = geometry_operand(nodes[0]);
      return Expression::op(std::move(op), {Expression::property(geometry_property()), std::move(geometry)});
    }
    if (nodes.size() != 2) fail(std::string(name) + " needs a value reference and a geometry");
    Expression property = value_reference(nodes[0]);
    Expression geometry = geometry_operand(nodes[1]);
    return Expression::op(std::move(op), {std::move(property), std::move(geometry)});
  }

  Expression temporal(std::string_view name, std::string op, const std::vector<pugi::xml_node>& operands) {
    if (operands.size() != 2) fail(std::string(name) + " needs a value reference and a time");
    Expression property = value_reference(operands[0]);
    pugi::xml_node time = operands[1];
    if (local_name(time) == "Literal") {
      const auto inner = elements(time);
      if (inner.empty()) return Expression::op(std::move(op), {std::move(property), instant(time.child_value())});
      time = inner[0];
    }
    Expression literal = time_literal(time);
    if (op == "t_during" && literal.kind == Kind::Interval && is_instant_property(property)) {
      // An instant lies during a period when it is after its begin and before
      // its end (ISO 19108, strict); CQL2's T_DURING relates two intervals.
      std::vector<Expression> sides;
      if (literal.args[0].kind != Kind::String) sides.push_back(Expression::op("t_after", {property, literal.args[0]}));
      if (literal.args[1].kind != Kind::String) sides.push_back(Expression::op("t_before", {property, literal.args[1]}));
      if (sides.empty()) return Expression::op("not", {Expression::op("isNull", {property})});
      if (sides.size() == 1) return std::move(sides[0]);
      return Expression::op("and", std::move(sides));
    }
    return Expression::op(std::move(op), {std::move(property), std::move(literal)});
  }

  bool is_instant_property(const Expression& property) const {
    const core::Property* p = c_.collection.property(property.text);
    return p && (p->type == core::PropertyType::Date || p->type == core::PropertyType::DateTime);
  }

  Expression time_literal(const pugi::xml_node& node) {
    const auto name = local_name(node);
    if (name == "TimeInstant") return instant(child_element(node, "timePosition").child_value());
    if (name == "TimePeriod") {
      auto bound = [&](const char* position, const char* wrapper) {
        pugi::xml_node p = child_element(node, position);
        if (!p) p = child_element(child_element(child_element(node, wrapper), "TimeInstant"), "timePosition");
        const std::string_view text = trim(p.child_value());
        const std::string_view indeterminate = p.attribute("indeterminatePosition").value();
        if (indeterminate == "now") return instant(encode::utc_timestamp());
        if (text.empty() || indeterminate == "unknown") {
          Expression open;
          open.kind = Kind::String;
          open.text = "..";
          return open;
        }
        return instant(text);
      };
      Expression interval;
      interval.kind = Kind::Interval;
      interval.args = {bound("beginPosition", "begin"), bound("endPosition", "end")};
      return interval;
    }
    fail("a temporal operator needs a gml:TimeInstant or gml:TimePeriod, not " + std::string(node.name()));
  }

  static Expression instant(std::string_view text) {
    const std::string repaired = offset_plus_restored(trim(text));
    text = repaired;
    const auto normalised = core::parse_instant(text);
    if (!normalised) fail("'" + std::string(text.substr(0, 40)) + "' is not an ISO 8601 date or date-time");
    Expression e;
    e.kind = normalised->size() == 10 ? Kind::Date : Kind::Timestamp;
    e.text = *normalised;
    return e;
  }

  // An expression operand: ValueReference, Literal, Function or (FES 1.1) arithmetic.
  Expression expression(const pugi::xml_node& node, int depth) {
    if (depth > kMaxFilterDepth) fail("the filter nests deeper than " + std::to_string(kMaxFilterDepth) + " levels");
    const auto name = local_name(node);
    if (name == "ValueReference" || name == "PropertyName") return value_reference(node);
    if (name == "Literal") {
      const auto inner = elements(node);
      if (!inner.empty()) return geometry_operand(inner[0]);
      Expression e;
      e.kind = Kind::String;
      e.text = node.child_value();
      return e;
    }
    if (name == "Function") {
      const std::string fname = node.attribute("name").value();
      if (!core::find_filter_function(fname)) fail("unknown function '" + fname + "'");
      Expression f;
      f.kind = Kind::Function;
      f.text = fname;
      for (const auto& arg : elements(node)) {
        Expression a = expression(arg, depth + 1);
        if (a.kind == Kind::String && local_name(arg) == "Literal") a = number_or_string(a.text);
        f.args.push_back(std::move(a));
      }
      return f;
    }
    if (auto it = arithmetic_operators().find(name); it != arithmetic_operators().end()) {
      const auto ops = elements(node);
      if (ops.size() != 2) fail(std::string(name) + " needs two operands");
      Expression a = expression(ops[0], depth + 1);
      Expression b = expression(ops[1], depth + 1);
      if (a.kind == Kind::String) a = number_or_string(a.text);
      if (b.kind == Kind::String) b = number_or_string(b.text);
      return Expression::op(std::string(it->second), {std::move(a), std::move(b)});
    }
    if (spatial_operators().count(name) || comparison_operators().count(name))
      fail("'" + std::string(node.name()) + "' is an operator, not an expression");
    return geometry_operand(node);
  }

  Expression value_reference(const pugi::xml_node& node) {
    const auto name = local_name(node);
    if (name != "ValueReference" && name != "PropertyName")
      fail("expected a ValueReference, found '" + std::string(node.name()) + "'");
    const std::string text = node.child_value();
    auto property = resolve_value_reference(text, c_.collection);
    if (!property)
      fail("'" + std::string(trim(text).substr(0, 80)) + "' is not a property of " + c_.collection.id +
           " (only property names are accepted, no XPath)");
    return Expression::property(*property);
  }

  std::string geometry_property() const { return "geometry"; }

  Expression geometry_operand(const pugi::xml_node& node) {
    pugi::xml_node g = node;
    if (local_name(g) == "Literal") {
      const auto inner = elements(g);
      if (inner.size() != 1) fail("a geometry literal holds one GML geometry");
      g = inner[0];
    }
    core::SrsName srs = c_.default_srs;
    if (const char* name = g.attribute("srsName").value(); *name) {
      auto parsed = core::parse_srs_name(name);
      if (!parsed) fail("unknown srsName '" + std::string(name).substr(0, 80) + "'");
      srs = *parsed;
    }
    if (c_.east_north_always) srs.east_north = true;
    Expression literal;
    const auto kind = local_name(g);
    if (kind == "Envelope" || kind == "Box") {
      literal.kind = Kind::Envelope;
      std::vector<double> lo, hi;
      if (auto lower = child_element(g, "lowerCorner")) {
        lo = numbers(lower.child_value(), "lowerCorner");
        hi = numbers(child_element(g, "upperCorner").child_value(), "upperCorner");
      } else if (auto coordinates = child_element(g, "coordinates")) {  // GML 2 Box
        std::string text = coordinates.child_value();
        for (auto& ch : text) if (ch == ',') ch = ' ';
        auto all = numbers(text, "coordinates");
        if (all.size() == 4) lo = {all[0], all[1]}, hi = {all[2], all[3]};
      }
      if (lo.size() != 2 || hi.size() != 2) fail("an Envelope needs a lowerCorner and an upperCorner of two numbers");
      literal.envelope = {lo[0], lo[1], hi[0], hi[1]};
      if (lo[0] > hi[0] || lo[1] > hi[1]) fail("the Envelope's lowerCorner lies above its upperCorner");
    } else {
      static const std::vector<std::string_view> kGeometries = {
          "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiCurve",
          "MultiPolygon", "MultiSurface", "MultiGeometry", "Curve", "Surface", "LinearRing"};
      if (std::find(kGeometries.begin(), kGeometries.end(), kind) == kGeometries.end())
        fail("expected a GML geometry, found '" + std::string(g.name()) + "'");
      std::ostringstream text;
      g.print(text, "", pugi::format_raw);
      OGRGeometryH geometry = OGR_G_CreateFromGML(text.str().c_str());
      if (!geometry) fail("the GML geometry " + std::string(g.name()) + " cannot be read");
      try {
        Expression read = geometry_from_ogr(geometry);
        literal.kind = Kind::Geometry;
        literal.wkb = std::move(read.wkb);
      } catch (const GeometryLiteralError& e) {
        fail("the GML " + std::string(g.name()) + ": " + e.what());
      }
    }
    to_crs84(literal, srs);
    return literal;
  }

  // A literal compared with a property takes the property's type.
  void coerce(const Expression& property, Expression& literal) const {
    if (property.kind != Kind::Property || literal.kind != Kind::String) return;
    const core::Property* p = c_.collection.property(property.text);
    if (!p) return;
    const std::string text(trim(literal.text));
    switch (p->type) {
      case core::PropertyType::Integer:
      case core::PropertyType::Real: {
        Expression n = number_or_string(text);
        if (n.kind == Kind::String) fail("'" + text.substr(0, 40) + "' is not a number (" + p->name + " is numeric)");
        literal = std::move(n);
        return;
      }
      case core::PropertyType::Boolean:
        if (text != "true" && text != "false" && text != "1" && text != "0")
          fail("'" + text.substr(0, 40) + "' is not true or false");
        literal.kind = Kind::Boolean;
        literal.boolean = text == "true" || text == "1";
        return;
      case core::PropertyType::Date:
      case core::PropertyType::DateTime: {
        Expression t = instant(text);
        if (p->type == core::PropertyType::DateTime && t.kind == Kind::Date) {
          t.kind = Kind::Timestamp;
          t.text += "T00:00:00.000Z";
        }
        literal = std::move(t);
        return;
      }
      case core::PropertyType::Text: return;
    }
  }

  static Expression number_or_string(const std::string& text) {
    Expression e;
    const std::string_view t = trim(text);
    std::int64_t i = 0;
    auto [iend, iec] = std::from_chars(t.data(), t.data() + t.size(), i);
    if (!t.empty() && iec == std::errc{} && iend == t.data() + t.size()) {
      e.kind = Kind::Integer;
      e.integer = i;
      return e;
    }
    double d = 0;
    auto [dend, dec] = std::from_chars(t.data(), t.data() + t.size(), d);
    if (!t.empty() && dec == std::errc{} && dend == t.data() + t.size() && std::isfinite(d)) {
      e.kind = Kind::Real;
      e.real = d;
      return e;
    }
    e.kind = Kind::String;
    e.text = text;
    return e;
  }

  // A computed number: arithmetic or a function returning one.
  static bool is_numeric(const Expression& e) {
    if (e.kind == Kind::Operator) return arithmetic_name(e.text);
    if (e.kind != Kind::Function) return false;
    const auto* f = core::find_filter_function(e.text);
    return f && (f->returns == "number" || f->returns == "integer");
  }
  static bool arithmetic_name(const std::string& op) { return op == "+" || op == "-" || op == "*" || op == "/"; }

  static bool is_text(const Expression& e) { return e.kind == Kind::String || e.kind == Kind::Property; }

  // matchCase is an xs:boolean, true unless given as false or 0.
  static bool match_case(const pugi::xml_node& node) {
    const std::string_view v = node.attribute("matchCase").value();
    return v != "false" && v != "0";
  }

  static std::string attribute(const pugi::xml_node& node, const char* name, const char* fallback) {
    const char* v = node.attribute(name).value();
    return *v ? v : fallback;
  }

  const FesContext& c_;
};

}  // namespace

std::optional<std::string> resolve_value_reference(std::string_view text, const core::Collection& collection) {
  text = trim(text);
  auto strip_prefix = [](std::string_view s) {
    const auto colon = s.find(':');
    return colon == std::string_view::npos ? s : s.substr(colon + 1);
  };
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    if (strip_prefix(text.substr(0, slash)) != encode::xml_name(collection.id)) return std::nullopt;
    text = text.substr(slash + 1);
  }
  text = strip_prefix(text);
  if (text.empty() || text.size() > 200) return std::nullopt;
  for (char c : text) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                    static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return std::nullopt;
  }
  for (const auto& p : collection.properties)
    if (p.name == text || encode::xml_name(p.name) == text) return p.name;
  if (text == "geometry" || text == "geom") return std::string("geometry");
  return std::nullopt;
}

FesFilter parse_fes_filter(const pugi::xml_node& filter, const FesContext& context) {
  if (local_name(filter) != "Filter") fail("expected a fes:Filter, found '" + std::string(filter.name()) + "'");
  return FesReader(context).filter(filter);
}

std::vector<std::uint8_t> parse_gml_geometry(const pugi::xml_node& geometry, const FesContext& context) {
  auto literal = FesReader(context).geometry(geometry);
  if (literal.kind != Kind::Geometry) fail("a feature's geometry cannot be an " + std::string(local_name(geometry)));
  return std::move(literal.wkb);
}

FesFilter parse_fes_filter_text(std::string_view xml, const FesContext& context) {
  pugi::xml_document doc;
  parse_xml(doc, xml, "filter");
  return parse_fes_filter(doc.document_element(), context);
}

}  // namespace amis::query
