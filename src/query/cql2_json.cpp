// CQL2-JSON (OGC 21-065r2, the cql2.json schema) into the Expression tree.
#include <nlohmann/json.hpp>

#include "core/datetime.hpp"
#include "core/error.hpp"
#include "query/cql2.hpp"
#include "query/join_conditions.hpp"
#include "query/geometry_literal.hpp"

namespace amis::query {
namespace {

using nlohmann::json;
using Kind = Expression::Kind;

[[noreturn]] void fail(const std::string& what, const json::json_pointer& at) {
  throw core::InvalidParameter("filter", "CQL2-JSON: " + what +
                                             (at.empty() ? std::string() : " at " + at.to_string()));
}

bool is_geojson_geometry(const json& j) {
  static const char* const kTypes[] = {"Point", "LineString", "Polygon", "MultiPoint",
                                       "MultiLineString", "MultiPolygon", "GeometryCollection"};
  if (!j.contains("type") || !j["type"].is_string()) return false;
  for (const char* t : kTypes)
    if (j["type"] == t) return j.contains("coordinates") || j.contains("geometries");
  return false;
}

bool is_cql2_operator(const std::string& op) {
  static const char* const kOperators[] = {
      "and", "or", "not", "=", "<>", "<", ">", "<=", ">=", "like", "between", "in", "isNull",
      "casei", "accenti", "+", "-", "*", "/", "%", "div", "^"};
  for (const char* o : kOperators)
    if (op == o) return true;
  return op.starts_with("s_") || op.starts_with("t_") || op.starts_with("a_");
}

Expression instant(const json& j, bool date, const json::json_pointer& at) {
  if (!j.is_string()) fail(std::string(date ? "date" : "timestamp") + " needs a string", at);
  auto parsed = core::parse_instant(j.get<std::string>());
  if (!parsed || date != (parsed->size() == 10))
    fail(date ? "date needs 'YYYY-MM-DD'" : "timestamp needs an RFC 3339 date-time", at);
  Expression e;
  e.kind = date ? Kind::Date : Kind::Timestamp;
  e.text = *parsed;
  return e;
}

Expression read(const json& j, const json::json_pointer& at, int depth);

std::vector<Expression> read_all(const json& array, const json::json_pointer& at, int depth) {
  std::vector<Expression> out;
  for (size_t i = 0; i < array.size(); ++i) out.push_back(read(array[i], at / i, depth + 1));
  return out;
}

Expression read_object(const json& j, const json::json_pointer& at, int depth) {
  if (j.contains("op")) {
    if (!j["op"].is_string()) fail("'op' must be a string", at);
    const std::string op = j["op"].get<std::string>();
    std::vector<Expression> args;
    if (j.contains("args")) {
      if (!j["args"].is_array()) fail("'args' must be an array", at);
      args = read_all(j["args"], at / "args", depth);
    }
    if (op == "in" && args.size() == 2 && args[1].kind != Kind::Array)
      fail("the second argument of 'in' must be an array", at);
    if (!is_cql2_operator(op)) {  // CQL2-JSON writes function calls as ops too
      Expression f;
      f.kind = Kind::Function;
      f.text = op;
      f.args = std::move(args);
      return f;
    }
    return Expression::op(op, std::move(args));
  }
  if (j.contains("property")) {
    if (!j["property"].is_string()) fail("'property' must be a string", at);
    return Expression::property(j["property"].get<std::string>());
  }
  if (j.contains("date")) return instant(j["date"], true, at / "date");
  if (j.contains("timestamp")) return instant(j["timestamp"], false, at / "timestamp");
  if (j.contains("interval")) {
    const auto& bounds = j["interval"];
    if (!bounds.is_array() || bounds.size() != 2) fail("'interval' needs two bounds", at);
    Expression e;
    e.kind = Kind::Interval;
    for (size_t i = 0; i < 2; ++i) {
      const auto& b = bounds[i];
      const auto where = at / "interval" / i;
      if (b.is_string()) {
        if (b == "..") {
          Expression open;
          open.kind = Kind::String;
          open.text = "..";
          e.args.push_back(std::move(open));
        } else {
          auto parsed = core::parse_instant(b.get<std::string>());
          if (!parsed) fail("an interval bound must be a date, a date-time or '..'", where);
          e.args.push_back(instant(b, parsed->size() == 10, where));
        }
      } else {
        e.args.push_back(read(b, where, depth + 1));
      }
    }
    return e;
  }
  if (j.contains("bbox")) {
    const auto& b = j["bbox"];
    if (!b.is_array()) fail("'bbox' must be an array of numbers", at);
    std::vector<double> v;
    for (const auto& n : b) {
      if (!n.is_number()) fail("'bbox' must be an array of numbers", at);
      v.push_back(n.get<double>());
    }
    return envelope_literal(v, [&](const std::string& why) { fail(why, at); });
  }
  if (j.contains("function")) {
    const auto& f = j["function"];
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string())
      fail("'function' needs a name", at);
    Expression e;
    e.kind = Kind::Function;
    e.text = f["name"].get<std::string>();
    if (f.contains("args")) {
      if (!f["args"].is_array()) fail("function 'args' must be an array", at);
      e.args = read_all(f["args"], at / "function" / "args", depth);
    }
    return e;
  }
  if (is_geojson_geometry(j)) {
    try {
      return geometry_from_geojson(j.dump());
    } catch (const GeometryLiteralError& e) {
      fail(e.what(), at);
    }
  }
  fail("unknown expression object", at);
}

Expression read(const json& j, const json::json_pointer& at, int depth) {
  if (depth > kMaxFilterDepth) fail("the filter nests too deeply", at);
  Expression e;
  switch (j.type()) {
    case json::value_t::null: return e;
    case json::value_t::boolean:
      e.kind = Kind::Boolean;
      e.boolean = j.get<bool>();
      return e;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      e.kind = Kind::Integer;
      e.integer = j.get<std::int64_t>();
      return e;
    case json::value_t::number_float:
      e.kind = Kind::Real;
      e.real = j.get<double>();
      return e;
    case json::value_t::string:
      e.kind = Kind::String;
      e.text = j.get<std::string>();
      return e;
    case json::value_t::array:
      e.kind = Kind::Array;
      e.args = read_all(j, at, depth);
      return e;
    case json::value_t::object: return read_object(j, at, depth);
    default: fail("unsupported JSON value", at);
  }
}

}  // namespace

Expression parse_cql2_json(std::string_view text) {
  if (text.size() > kMaxFilterBytes) fail("the filter is longer than 256 KiB", nlohmann::json::json_pointer());
  json j;
  try {
    // Depth is limited by the reader below; nlohmann's parser itself recurses,
    // so a pre-check on brackets keeps hostile nesting from the stack.
    int depth = 0, max_depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (in_string) {
        if (c == '\\') ++i;
        else if (c == '"') in_string = false;
      } else if (c == '"') in_string = true;
      else if (c == '[' || c == '{') max_depth = std::max(max_depth, ++depth);
      else if (c == ']' || c == '}') --depth;
    }
    if (max_depth > 4 * kMaxFilterDepth) fail("the filter nests too deeply", nlohmann::json::json_pointer());
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for numbers like 1e999
    throw core::InvalidParameter("filter", std::string("CQL2-JSON: not valid JSON: ") + e.what());
  }
  Expression e = read(j, nlohmann::json::json_pointer(), 0);
  read_join_conditions(e);
  return e;
}

}  // namespace amis::query
