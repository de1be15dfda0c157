// CQL2-Text: a recursive-descent parser over one grammar for boolean and scalar
// expressions (precedence: OR < AND < NOT < predicates < + - < * / % div < ^ <
// unary minus), so no backtracking is needed.
#include <ogr_api.h>

#include <cctype>
#include <charconv>
#include <cmath>

#include "core/datetime.hpp"
#include "core/error.hpp"
#include "query/cql2.hpp"
#include "query/geometry_literal.hpp"
#include "query/join_conditions.hpp"

namespace amis::query {
namespace {

using Kind = Expression::Kind;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// CQL2-JSON spellings of the predicate functions, keyed by lower case.
const char* predicate_name(const std::string& lowered) {
  static const char* const kNames[] = {
      "s_intersects", "s_equals", "s_disjoint", "s_touches", "s_within", "s_overlaps", "s_crosses",
      "s_contains", "t_after", "t_before", "t_contains", "t_disjoint", "t_during", "t_equals",
      "t_finishedBy", "t_finishes", "t_intersects", "t_meets", "t_metBy", "t_overlappedBy",
      "t_overlaps", "t_startedBy", "t_starts", "a_equals", "a_contains", "a_containedBy",
      "a_overlaps", "casei", "accenti"};
  for (const char* name : kNames)
    if (lower(name) == lowered) return name;
  return nullptr;
}

bool is_geometry_keyword(const std::string& lowered) {
  return lowered == "point" || lowered == "linestring" || lowered == "polygon" ||
         lowered == "multipoint" || lowered == "multilinestring" || lowered == "multipolygon" ||
         lowered == "geometrycollection";
}

bool is_scalar_literal(const Expression& e) {
  return e.kind == Kind::String || e.kind == Kind::Integer || e.kind == Kind::Real ||
         e.kind == Kind::Boolean || e.kind == Kind::Date || e.kind == Kind::Timestamp;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Expression parse() {
    if (s_.size() > kMaxFilterBytes) fail("the filter is longer than 256 KiB");
    Expression e = or_expression();
    skip_space();
    if (pos_ != s_.size()) fail("unexpected text");
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    std::string near(s_.substr(pos_, 20));
    throw core::InvalidParameter(
        "filter", "CQL2-Text: " + what + " at character " + std::to_string(pos_ + 1) +
                      (near.empty() ? " (end of the filter)" : " ('" + near + "')"));
  }

  struct Depth {
    explicit Depth(Parser& p) : p_(p) {
      if (++p_.depth_ > kMaxFilterDepth) p_.fail("the filter nests too deeply");
    }
    ~Depth() { --p_.depth_; }
    Parser& p_;
  };

  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool at_end() {
    skip_space();
    return pos_ >= s_.size();
  }
  bool peek_char(char c) {
    skip_space();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  bool accept_char(char c) {
    if (!peek_char(c)) return false;
    ++pos_;
    return true;
  }
  void expect_char(char c) {
    if (!accept_char(c)) fail(std::string("expected '") + c + "'");
  }
  static bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '.';
  }
  // The next bare word without consuming it.
  std::string_view peek_word() {
    skip_space();
    size_t end = pos_;
    if (end < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[end])) || s_[end] == '_')) {
      while (end < s_.size() && word_char(s_[end])) ++end;
    }
    return s_.substr(pos_, end - pos_);
  }
  bool accept_keyword(std::string_view keyword) {
    if (!iequals(peek_word(), keyword)) return false;
    pos_ += keyword.size();
    return true;
  }
  void expect_keyword(std::string_view keyword) {
    if (!accept_keyword(keyword)) fail("expected " + std::string(keyword));
  }

  Expression or_expression() {
    Depth d(*this);
    Expression left = and_expression();
    while (accept_keyword("OR")) left = combine("or", std::move(left), and_expression());
    return left;
  }
  Expression and_expression() {
    Expression left = not_expression();
    while (accept_keyword("AND")) left = combine("and", std::move(left), not_expression());
    return left;
  }
  // a AND b AND c becomes one "and" with three arguments, as CQL2-JSON writes it.
  static Expression combine(const char* op, Expression left, Expression right) {
    if (left.kind == Kind::Operator && left.text == op) {
      left.args.push_back(std::move(right));
      return left;
    }
    return Expression::op(op, {std::move(left), std::move(right)});
  }
  Expression not_expression() {
    Depth d(*this);
    if (accept_keyword("NOT")) return Expression::op("not", {not_expression()});
    return predicate();
  }

  Expression predicate() {
    Expression left = additive();
    skip_space();
    static const char* const kComparisons[] = {"<>", "<=", ">=", "=", "<", ">"};
    for (const char* op : kComparisons) {
      if (s_.substr(pos_, std::char_traits<char>::length(op)) == op) {
        pos_ += std::char_traits<char>::length(op);
        return Expression::op(op, {std::move(left), additive()});
      }
    }
    const size_t before_not = pos_;
    const bool negated = accept_keyword("NOT");
    Expression result;
    if (accept_keyword("LIKE")) {
      result = Expression::op("like", {std::move(left), additive()});
    } else if (accept_keyword("BETWEEN")) {
      Expression low = additive();
      expect_keyword("AND");
      result = Expression::op("between", {std::move(left), std::move(low), additive()});
    } else if (accept_keyword("IN")) {
      expect_char('(');
      Expression list;
      list.kind = Kind::Array;
      do list.args.push_back(additive());
      while (accept_char(','));
      expect_char(')');
      result = Expression::op("in", {std::move(left), std::move(list)});
    } else if (!negated && accept_keyword("IS")) {
      const bool is_not = accept_keyword("NOT");
      expect_keyword("NULL");
      result = Expression::op("isNull", {std::move(left)});
      return is_not ? Expression::op("not", {std::move(result)}) : result;
    } else {
      if (negated) pos_ = before_not;
      return left;
    }
    return negated ? Expression::op("not", {std::move(result)}) : result;
  }

  Expression additive() {
    Expression left = multiplicative();
    for (;;) {
      if (accept_char('+')) left = Expression::op("+", {std::move(left), multiplicative()});
      // With a left operand, '-' is a subtraction: "balance-150.0".
      else if (accept_char('-')) left = Expression::op("-", {std::move(left), multiplicative()});
      else return left;
    }
  }

  Expression multiplicative() {
    Expression left = power();
    for (;;) {
      if (accept_char('*')) left = Expression::op("*", {std::move(left), power()});
      else if (accept_char('/')) left = Expression::op("/", {std::move(left), power()});
      else if (accept_char('%')) left = Expression::op("%", {std::move(left), power()});
      else if (accept_keyword("DIV")) left = Expression::op("div", {std::move(left), power()});
      else return left;
    }
  }
  Expression power() {
    Depth d(*this);
    Expression base = unary();
    if (accept_char('^')) return Expression::op("^", {std::move(base), power()});
    return base;
  }
  Expression unary() {
    Depth d(*this);
    if (accept_char('-')) {
      Expression operand = unary();
      if (operand.kind == Kind::Integer) { operand.integer = -operand.integer; return operand; }
      if (operand.kind == Kind::Real) { operand.real = -operand.real; return operand; }
      return Expression::op("*", {integer(-1), std::move(operand)});
    }
    if (accept_char('+')) return unary();
    return primary();
  }

  static Expression integer(std::int64_t v) {
    Expression e;
    e.kind = Kind::Integer;
    e.integer = v;
    return e;
  }

  Expression primary() {
    skip_space();
    if (pos_ >= s_.size()) fail("expected an expression");
    const char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      if (accept_char(')')) {  // the empty array
        Expression empty;
        empty.kind = Kind::Array;
        return empty;
      }
      Expression first = or_expression();
      if (accept_char(',')) {  // an array literal: ('a', 'b')
        Expression array;
        array.kind = Kind::Array;
        array.args.push_back(std::move(first));
        do array.args.push_back(or_expression());
        while (accept_char(','));
        expect_char(')');
        return array;
      }
      expect_char(')');
      return first;
    }
    if (c == '\'') return string_literal();
    if (c == '"') return Expression::property(quoted_identifier());
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    const std::string_view word = peek_word();
    if (word.empty()) fail("unexpected character");
    return word_expression(word);
  }

  Expression word_expression(std::string_view word) {
    const std::string lowered = lower(word);
    if (lowered == "true" || lowered == "false") {
      pos_ += word.size();
      Expression e;
      e.kind = Kind::Boolean;
      e.boolean = lowered == "true";
      return e;
    }
    if (lowered == "null") fail("NULL is only allowed in IS [NOT] NULL");
    if (is_geometry_keyword(lowered)) return geometry_literal();
    pos_ += word.size();
    if (lowered == "bbox" && peek_char('(')) return bbox_literal();
    if ((lowered == "date" || lowered == "timestamp") && peek_char('('))
      return temporal_literal(lowered == "date");
    if (lowered == "interval" && peek_char('(')) return interval_literal();
    if (!peek_char('(')) return Expression::property(std::string(word));
    // A function call: a predicate function, CASEI/ACCENTI, or another function.
    ++pos_;
    std::vector<Expression> args;
    if (!accept_char(')')) {
      do args.push_back(or_expression());
      while (accept_char(','));
      expect_char(')');
    }
    if (const char* name = predicate_name(lowered)) {
      // ('a') is a one-element array where an array is expected: text cannot
      // tell it from a parenthesised literal otherwise.
      if (lowered.starts_with("a_"))
        for (auto& arg : args)
          if (is_scalar_literal(arg)) {
            Expression array;
            array.kind = Kind::Array;
            array.args.push_back(std::move(arg));
            arg = std::move(array);
          }
      return Expression::op(name, std::move(args));
    }
    Expression f;
    f.kind = Kind::Function;
    f.text = std::string(word);
    f.args = std::move(args);
    return f;
  }

  Expression string_literal() {
    Expression e;
    e.kind = Kind::String;
    e.text = quoted('\'');
    return e;
  }
  std::string quoted_identifier() { return quoted('"'); }
  std::string quoted(char quote) {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) fail("unterminated quoted text");
      const char c = s_[pos_++];
      if (c == quote) {
        if (pos_ < s_.size() && s_[pos_] == quote) {
          out += quote;
          ++pos_;
          continue;
        }
        return out;
      }
      out += c;
    }
  }

  Expression number() {
    const size_t start = pos_;
    bool real = false;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      real = true;
      ++pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      real = true;
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    const std::string_view text = s_.substr(start, pos_ - start);
    Expression e;
    if (!real) {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), e.integer);
      if (ec == std::errc{} && end == text.data() + text.size()) {
        e.kind = Kind::Integer;
        return e;
      }
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), e.real);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(e.real)) {
      pos_ = start;
      fail("invalid number");
    }
    e.kind = Kind::Real;
    return e;
  }

  Expression temporal_literal(bool date) {
    expect_char('(');
    skip_space();
    if (!peek_char('\'')) fail("expected a quoted date");
    const size_t at = pos_;
    const std::string text = quoted('\'');
    expect_char(')');
    auto instant = core::parse_instant(text);
    Expression e;
    e.kind = date ? Kind::Date : Kind::Timestamp;
    if (!instant || (date != (instant->size() == 10))) {
      pos_ = at;
      fail(date ? "DATE needs 'YYYY-MM-DD'" : "TIMESTAMP needs an RFC 3339 date-time with a zone");
    }
    e.text = *instant;
    return e;
  }

  // INTERVAL(start, end): each bound a quoted instant, '..', or a property.
  Expression interval_literal() {
    expect_char('(');
    Expression e;
    e.kind = Kind::Interval;
    for (int i = 0; i < 2; ++i) {
      if (i) expect_char(',');
      skip_space();
      if (peek_char('\'')) {
        const size_t at = pos_;
        const std::string text = quoted('\'');
        Expression bound;
        if (text == "..") {
          bound.kind = Kind::String;
          bound.text = "..";
        } else {
          auto instant = core::parse_instant(text);
          if (!instant) {
            pos_ = at;
            fail("an interval bound must be a date, a date-time or '..'");
          }
          bound.kind = instant->size() == 10 ? Kind::Date : Kind::Timestamp;
          bound.text = *instant;
        }
        e.args.push_back(std::move(bound));
      } else {
        e.args.push_back(additive());
      }
    }
    expect_char(')');
    return e;
  }

  Expression bbox_literal() {
    expect_char('(');
    std::vector<double> v;
    do {
      Expression n = unary();
      if (n.kind == Kind::Integer) v.push_back(static_cast<double>(n.integer));
      else if (n.kind == Kind::Real) v.push_back(n.real);
      else fail("BBOX takes numbers");
    } while (accept_char(','));
    expect_char(')');
    return envelope_literal(v, [this](const std::string& why) { fail(why); });
  }

  // A WKT geometry: the keyword, an optional Z, and balanced parentheses, read by OGR.
  Expression geometry_literal() {
    const size_t start = pos_;
    pos_ += peek_word().size();
    skip_space();
    if (iequals(peek_word(), "Z")) pos_ += 1;
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] != '(') fail("expected '(' after the geometry type");
    int depth = 0;
    do {
      if (s_[pos_] == '(') ++depth;
      else if (s_[pos_] == ')') --depth;
      ++pos_;
    } while (pos_ < s_.size() && depth > 0);
    if (depth != 0) fail("unbalanced parentheses in the geometry");
    Expression e;
    try {
      e = geometry_from_wkt(std::string(s_.substr(start, pos_ - start)));
    } catch (const GeometryLiteralError& error) {
      pos_ = start;
      fail(error.what());
    }
    return e;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Expression parse_cql2_text(std::string_view text) {
  Expression e = Parser(text).parse();
  read_join_conditions(e);
  return e;
}

}  // namespace amis::query
