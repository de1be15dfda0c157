#include "query/cql2_json_writer.hpp"

#include <nlohmann/json.hpp>

#include "encode/geojson_geometry.hpp"

namespace amis::query {
namespace {

using json = nlohmann::json;
using Kind = core::Expression::Kind;

struct Unsayable {};

json write(const core::Expression& e);

json write_all(const std::vector<core::Expression>& args) {
  json out = json::array();
  for (const auto& a : args) out.push_back(write(a));
  return out;
}

json interval_bound(const core::Expression& b) {
  if (b.kind == Kind::Date || b.kind == Kind::Timestamp || b.kind == Kind::String) return b.text;
  return write(b);
}

json write(const core::Expression& e) {
  switch (e.kind) {
    case Kind::Null: return nullptr;
    case Kind::Boolean: return e.boolean;
    case Kind::Integer: return e.integer;
    case Kind::Real: return e.real;
    case Kind::String: return e.text;
    case Kind::Date: return {{"date", e.text}};
    case Kind::Timestamp: return {{"timestamp", e.text}};
    case Kind::Interval: {
      if (e.args.size() != 2) throw Unsayable{};
      return {{"interval", json::array({interval_bound(e.args[0]), interval_bound(e.args[1])})}};
    }
    case Kind::Geometry: {
      std::string text;
      try {
        encode::append_geojson_geometry(text, e.wkb);
      } catch (const std::exception&) {
        throw Unsayable{};
      }
      auto g = json::parse(text, nullptr, false);
      if (!g.is_object()) throw Unsayable{};
      return g;
    }
    case Kind::Envelope:
      return {{"bbox", {e.envelope.min_x, e.envelope.min_y, e.envelope.max_x, e.envelope.max_y}}};
    case Kind::Array: return write_all(e.args);
    case Kind::Property: return {{"property", e.text}};
    case Kind::Function:
    case Kind::Operator:
      if (e.text == "not_true") throw Unsayable{};
      return {{"op", e.text}, {"args", write_all(e.args)}};
  }
  throw Unsayable{};
}

}  // namespace

std::optional<std::string> to_cql2_json(const core::Expression& e) {
  try {
    return write(e).dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const Unsayable&) {
    return std::nullopt;
  }
}

}  // namespace amis::query
