#include "core/expression.hpp"

#include <cpl_conv.h>
#include <ogr_api.h>

#include "encode/json_text.hpp"

namespace amis::core {

namespace {

std::string wkt_of(const std::vector<std::uint8_t>& wkb) {
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) return "?";
  char* text = nullptr;
  OGR_G_ExportToIsoWkt(g, &text);
  std::string out = text ? text : "?";
  CPLFree(text);
  OGR_G_DestroyGeometry(g);
  return out;
}

void write(std::string& out, const Expression& e) {
  using Kind = Expression::Kind;
  auto list = [&](const std::vector<Expression>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
      out += i ? ", " : "";
      write(out, args[i]);
    }
  };
  switch (e.kind) {
    case Kind::Null: out += "null"; break;
    case Kind::Boolean: out += e.boolean ? "true" : "false"; break;
    case Kind::Integer: encode::append_json_number(out, e.integer); break;
    case Kind::Real: encode::append_json_number(out, e.real); break;
    case Kind::String: encode::append_json_string(out, e.text); break;
    case Kind::Date: out += "date(" + e.text + ")"; break;
    case Kind::Timestamp: out += "timestamp(" + e.text + ")"; break;
    case Kind::Interval: out += "interval("; list(e.args); out += ")"; break;
    case Kind::Geometry: out += wkt_of(e.wkb); break;
    case Kind::Envelope: {
      out += "bbox(";
      for (double v : {e.envelope.min_x, e.envelope.min_y, e.envelope.max_x, e.envelope.max_y}) {
        encode::append_json_number(out, v);
        out += ' ';
      }
      out += ")";
      break;
    }
    case Kind::Array: out += "["; list(e.args); out += "]"; break;
    case Kind::Property: out += "property(" + e.text + ")"; break;
    case Kind::Function: out += "function " + e.text + "("; list(e.args); out += ")"; break;
    case Kind::Operator: out += e.text + "("; list(e.args); out += ")"; break;
  }
}

}  // namespace

std::string to_debug_string(const Expression& e) {
  std::string out;
  write(out, e);
  return out;
}

}  // namespace amis::core
