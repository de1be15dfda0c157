#pragma once
// One filter expression tree for every filter language AMIS reads: CQL2-Text,
// CQL2-JSON and (later) FES 2.0. It mirrors CQL2-JSON's shape: an operator node
// has a name ("and", "=", "s_intersects", "t_before", "like", "+", "casei", ...)
// and arguments; leaves are literals and property references. Nothing in it is
// ever evaluated as code: stores compile it to SQL with bound values. One
// operator no parser produces: "not_true" (true unless its operand is true, so
// also where the operand is unknown for NULL values), for SLD's ElseFilter.
#include <cstdint>
#include <string>
#include <vector>

#include "core/envelope.hpp"

namespace amis::core {

struct Expression {
  enum class Kind {
    Null,
    Boolean,
    Integer,
    Real,
    String,
    Date,       // text: "YYYY-MM-DD"
    Timestamp,  // text: normalised UTC "YYYY-MM-DDTHH:MM:SS.sssZ"
    Interval,   // args: two bounds (Date, Timestamp, Property, or String ".." for open)
    Geometry,   // wkb: ISO WKB, CRS84 unless the filter-crs says otherwise
    Envelope,   // envelope (BBOX(...) literal)
    Array,      // args: the elements
    Property,   // text: the property name
    Function,   // text: a function name; args: its arguments
    Operator,   // text: the operator name in CQL2-JSON spelling; args: operands
  };

  Kind kind = Kind::Null;
  std::string text;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::vector<std::uint8_t> wkb;
  core::Envelope envelope;
  std::vector<Expression> args;

  static Expression op(std::string name, std::vector<Expression> operands) {
    Expression e;
    e.kind = Kind::Operator;
    e.text = std::move(name);
    e.args = std::move(operands);
    return e;
  }
  static Expression property(std::string name) {
    Expression e;
    e.kind = Kind::Property;
    e.text = std::move(name);
    return e;
  }
};

// A canonical text form, equal for equal trees: used to check that the text and
// JSON encodings of one filter parse to the same tree, and in error messages.
std::string to_debug_string(const Expression& e);

}  // namespace amis::core
