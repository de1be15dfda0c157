#include "store/filter_compiler.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/filter_functions.hpp"
#include "core/spatial_join.hpp"
#include "core/wkb.hpp"
#include "core/work_limits.hpp"

namespace amis::store {
namespace {

using core::Expression;
using Kind = Expression::Kind;

enum class Type { Boolean, Number, Text, Date, Timestamp, Geometry, Array, Null };

struct Sql {
  std::string text;
  Type type;
};

}  // namespace
std::string real_as_text(double v);
namespace {

[[noreturn]] void fail(const std::string& why) { throw core::InvalidParameter("filter", why); }

bool is_comparison(const std::string& op) {
  return op == "=" || op == "<>" || op == "<" || op == ">" || op == "<=" || op == ">=";
}

void append_polygon(std::vector<std::uint8_t>& wkb, double x0, double y0, double x1, double y1) {
  const std::uint8_t header[] = {1, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0};
  wkb.insert(wkb.end(), header, header + sizeof header);
  const double xy[10] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(xy);
  wkb.insert(wkb.end(), bytes, bytes + sizeof xy);
}

// ISO WKB of a BBOX literal used as a geometry; a box whose west edge lies east
// of its east edge crosses the antimeridian and is two boxes.
std::vector<std::uint8_t> box_wkb(const core::Envelope& e) {
  std::vector<std::uint8_t> wkb;
  if (e.min_x <= e.max_x) {
    append_polygon(wkb, e.min_x, e.min_y, e.max_x, e.max_y);
    return wkb;
  }
  wkb = {1, 6, 0, 0, 0, 2, 0, 0, 0};  // MultiPolygon of 2
  append_polygon(wkb, e.min_x, e.min_y, 180, e.max_y);
  append_polygon(wkb, -180, e.min_y, e.max_x, e.max_y);
  return wkb;
}

// The CRS84 envelope a literal can meet, for the R-tree pre-filter.
core::Envelope literal_envelope(const Expression& e) {
  if (e.kind != Kind::Envelope) return core::wkb_envelope(e.wkb);
  core::Envelope env = e.envelope;
  if (env.min_x > env.max_x) {  // across the antimeridian: every longitude
    env.min_x = -180;
    env.max_x = 180;
  }
  return env;
}

// SQLite's parser gives up on deeply nested SQL (about 50 levels of
// parentheses); filters deeper than this are refused as too complex.
constexpr int kMaxSqlDepth = 30;

class Compiler {
 public:
  Compiler(const core::Collection& c, std::vector<Binding>& b, const FilterDialect& d,
           const std::vector<core::Collection>& joined)
      : collection_(c), bindings_(b), dialect_(d), joined_(joined) {}

  Sql compile(const Expression& e) {
    struct Depth {
      explicit Depth(int& d) : d_(d) {
        if (++d_ > kMaxSqlDepth) fail("the filter nests too deeply (at most 30 levels)");
      }
      ~Depth() { --d_; }
      int& d_;
    } depth(depth_);
    switch (e.kind) {
      case Kind::Null: return {"NULL", Type::Null};
      case Kind::Boolean: return bind(e.boolean, Type::Boolean);
      case Kind::Integer: return bind(e.integer, Type::Number);
      case Kind::Real: return bind(e.real, Type::Number);
      case Kind::String: return bind(e.text, Type::Text);
      case Kind::Date: return bind(e.text, Type::Date);
      case Kind::Timestamp: return bind(e.text, Type::Timestamp);
      case Kind::Geometry: return geometry_literal(e);
      case Kind::Envelope: return bind(box_wkb(e.envelope), Type::Geometry);
      case Kind::Property: return property(e.text);
      case Kind::Array: return array_value(e);
      case Kind::Interval: fail("an INTERVAL can only be an argument of a temporal function");
      case Kind::Function: return function(e);
      case Kind::Operator: return op(e);
    }
    fail("unsupported expression");
  }

 private:
  Sql geometry_literal(const Expression& e) {
    std::size_t n = 0;
    try {
      n = core::wkb_vertex_count(e.wkb);
    } catch (const core::WkbError&) {
      fail("a geometry of the filter cannot be read");
    }
    vertices_ += n;
    const std::size_t most = core::work_limits().max_filter_vertices;
    if (vertices_ > most)
      fail("the filter's geometries have " + std::to_string(vertices_) + " vertices or more; at most " +
           std::to_string(most) + " are accepted (simplify the geometry)");
    return bind(e.wkb, Type::Geometry);
  }

  template <class T>
  Sql bind(T value, Type type) {
    bindings_.emplace_back(std::move(value));
    return {"?", type};
  }

  bool is_geometry_name(const std::string& name) const {
    return !collection_.property(name) && (name == "geometry" || name == "geom");
  }

  Sql property(const std::string& name) {
    if (is_geometry_name(name)) return {"geom", Type::Geometry};
    const core::Property* p = collection_.property(name);
    if (!p) fail("unknown property '" + name + "' (see /collections/" + collection_.id + "/queryables)");
    switch (p->type) {
      case core::PropertyType::Integer:
      case core::PropertyType::Real: return {quote_identifier(p->name), Type::Number};
      case core::PropertyType::Boolean: return {quote_identifier(p->name), Type::Boolean};
      case core::PropertyType::Date: return {quote_identifier(p->name), Type::Date};
      case core::PropertyType::DateTime: return {quote_identifier(p->name), Type::Timestamp};
      case core::PropertyType::Text: return {quote_identifier(p->name), Type::Text};
    }
    return {quote_identifier(p->name), Type::Text};
  }

  std::string array_json(const Expression& e) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& item : e.args) {
      switch (item.kind) {
        case Kind::String:
        case Kind::Date:
        case Kind::Timestamp: array.push_back(item.text); break;
        case Kind::Integer: array.push_back(item.integer); break;
        case Kind::Real: array.push_back(item.real); break;
        case Kind::Boolean: array.push_back(item.boolean); break;
        case Kind::Array: array.push_back(nlohmann::json::parse(array_json(item))); break;
        default: fail("array elements must be literals");
      }
    }
    return array.dump();
  }

  static bool is_literal_array(const Expression& e) {
    for (const auto& item : e.args) {
      switch (item.kind) {
        case Kind::String: case Kind::Date: case Kind::Timestamp: case Kind::Integer: case Kind::Real:
        case Kind::Boolean: break;
        case Kind::Array: if (!is_literal_array(item)) return false; break;
        default: return false;
      }
    }
    return true;
  }

  // An array of literals is one bound JSON value; one with a property, a function or
  // arithmetic in it (CQL2 /req/array-functions) is built in SQL, element by element.
  Sql array_value(const Expression& e) {
    if (is_literal_array(e)) return bind(array_json(e), Type::Array);
    std::vector<JsonArrayElement> elements;
    for (const auto& item : e.args) {
      if (item.kind == Kind::Array) {
        elements.push_back({array_value(item).text, false, true});
        continue;
      }
      const Sql s = scalar(item);
      elements.push_back({s.text, s.type == Type::Boolean, false});
    }
    return {dialect_.json_array(elements), Type::Array};
  }

  void expect_args(const Expression& e, size_t n) {
    if (e.args.size() != n)
      fail("'" + e.text + "' takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s"));
  }

  Sql boolean(const Expression& e) {
    Sql s = compile(e);
    if (s.type != Type::Boolean) fail("'" + core::to_debug_string(e) + "' is not a condition");
    return s;
  }

  Sql scalar(const Expression& e) {
    if (core::is_spatial_join(e)) fail("'" + e.text + "' is a condition and cannot be compared");
    Sql s = compile(e);
    if (s.type == Type::Geometry || s.type == Type::Array)
      fail("'" + core::to_debug_string(e) + "' cannot be compared; use a spatial or array function");
    return s;
  }

  Sql op(const Expression& e) {
    const std::string& name = e.text;
    if (name == "and" || name == "or") {
      if (e.args.size() < 2) fail("'" + name + "' takes two or more arguments");
      if (e.args.size() > 1000) fail("'" + name + "' takes at most 1000 arguments");
      std::vector<std::string> parts;
      for (const auto& arg : e.args) parts.push_back(boolean(arg).text);
      return {join_balanced(parts, 0, parts.size(), name == "and" ? " AND " : " OR "), Type::Boolean};
    }
    if (name == "not") {
      expect_args(e, 1);
      const Expression& operand = e.args[0];
      // NOT NOT x is x: chains of negations must not deepen the SQL.
      if (operand.kind == Kind::Operator && operand.text == "not" && operand.args.size() == 1)
        return boolean(operand.args[0]);
      return {"(NOT " + boolean(operand).text + ")", Type::Boolean};
    }
    if (name == "not_true") {  // internal (no parser makes it): NULL counts as not true
      expect_args(e, 1);
      return {dialect_.not_true(boolean(e.args[0]).text), Type::Boolean};
    }
    if (is_comparison(name)) {
      expect_args(e, 2);
      const Sql a = scalar(e.args[0]);
      const Sql b = scalar(e.args[1]);
      apply_affinity(e.args[0], e.args[1]);
      return {"(" + a.text + " " + name + " " + b.text + ")", Type::Boolean};
    }
    if (name == "like") {
      expect_args(e, 2);
      const Sql a = scalar(e.args[0]);
      const Sql b = scalar(e.args[1]);
      return {"(" + a.text + " LIKE " + b.text + " ESCAPE '\\')", Type::Boolean};
    }
    if (name == "between") {
      expect_args(e, 3);
      const Sql a = scalar(e.args[0]);
      const Sql lo = scalar(e.args[1]);
      const Sql hi = scalar(e.args[2]);
      return {"(" + a.text + " BETWEEN " + lo.text + " AND " + hi.text + ")", Type::Boolean};
    }
    if (name == "in") {
      expect_args(e, 2);
      if (e.args[1].kind != Kind::Array || e.args[1].args.empty())
        fail("'in' needs a non-empty list");
      std::string sql = "(" + scalar(e.args[0]).text + " IN (";
      for (size_t i = 0; i < e.args[1].args.size(); ++i)
        sql += (i ? ", " : "") + scalar(e.args[1].args[i]).text;
      return {sql + "))", Type::Boolean};
    }
    if (name == "isNull") {
      expect_args(e, 1);
      return {"(" + compile(e.args[0]).text + " IS NULL)", Type::Boolean};
    }
    if (name == "casei" || name == "accenti") {
      expect_args(e, 1);
      const Sql a = scalar(e.args[0]);
      return {"amis_" + name + "(" + a.text + ")", Type::Text};
    }
    if (name == "+" || name == "-" || name == "*" || name == "/" || name == "%" || name == "div" ||
        name == "^")
      return arithmetic(e);
    if (name.starts_with("s_")) return spatial(e);
    if (name.starts_with("t_")) return temporal(e);
    if (name.starts_with("a_")) return array(e);
    fail("unknown operator '" + name + "'");
  }

  // SQLite's comparison affinity (datatype3.html, 4.2), made explicit so that
  // every store compares alike: a property compared with a literal of the other
  // kind converts the literal — a number to text for a text property; a text
  // that reads as a number to that number for a numeric one. The literal's
  // value is the last binding (a property binds none).
  void apply_affinity(const Expression& x, const Expression& y) {
    const bool x_property = x.kind == Kind::Property && collection_.property(x.text);
    const Expression& property = x_property ? x : y;
    const Expression& literal = x_property ? y : x;
    if (property.kind != Kind::Property || bindings_.empty()) return;
    const core::Property* p = collection_.property(property.text);
    if (!p) return;
    const bool text = p->type == core::PropertyType::Text || p->type == core::PropertyType::Date ||
                      p->type == core::PropertyType::DateTime;
    if (text && literal.kind == Kind::Integer) bindings_.back() = std::to_string(literal.integer);
    else if (text && literal.kind == Kind::Real) bindings_.back() = real_as_text(literal.real);
    else if (!text && literal.kind == Kind::String) {
      const std::string& t = literal.text;
      std::int64_t n = 0;
      double d = 0;
      if (auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n); ec == std::errc{} && end == t.data() + t.size())
        bindings_.back() = n;
      else if (auto [end2, ec2] = std::from_chars(t.data(), t.data() + t.size(), d);
               ec2 == std::errc{} && end2 == t.data() + t.size())
        bindings_.back() = d;
    }
  }

  // The functions of core::filter_functions(), as SQL.
  Sql function(const Expression& e) {
    if (core::is_spatial_join(e)) return spatial_join(e);
    const core::FilterFunction* f = core::find_filter_function(e.text);
    if (!f) fail("unknown function '" + e.text + "' (see /functions)");
    if (e.args.size() != f->arguments.size())
      fail("'" + f->name + "' takes " + std::to_string(f->arguments.size()) + " argument(s)");
    const Sql arg = scalar(e.args[0]);
    const bool wants_number = f->arguments[0] == "number";
    if (arg.type != Type::Null && wants_number != (arg.type == Type::Number))
      fail("'" + f->name + "' takes a " + f->arguments[0]);
    const char* sql = f->name == "lower" ? "amis_lower" : f->name == "upper" ? "amis_upper"
                    : f->name == "length" ? "length" : "abs";
    const Type type = f->returns == "string" ? Type::Text : Type::Number;
    return {std::string(sql) + "(" + arg.text + ")", type};
  }

  // amis_inside / amis_within_distance: an EXISTS over the other collection,
  // whose condition is compiled against that collection.
  Sql spatial_join(const Expression& e) {
    const core::SpatialJoin join = core::read_spatial_join(e);
    const std::string name = join.relation == core::SpatialJoin::Relation::Inside ? "amis_inside" : "amis_within_distance";
    if (compile(e.args[0]).text != "geom")
      fail("the first argument of '" + name + "' is the geometry property (geom)");
    const core::Collection* other = nullptr;
    for (const auto& c : joined_)
      if (c.id == join.collection) other = &c;
    if (!other) fail("'" + name + "' names an unknown collection '" + join.collection + "' (see /collections)");
    SpatialJoinSql sql;
    sql.within_distance = join.relation == core::SpatialJoin::Relation::WithinDistance;
    sql.outer_geometry = quote_identifier(collection_.id) + ".geom";
    sql.other = other;
    sql.metres = join.metres;
    if (join.condition) {
      const auto inner_dialect = dialect_.for_collection(*other);
      static const std::vector<core::Collection> kNoJoins;  // a condition joins no further
      Compiler inner(*other, sql.condition_bindings, *inner_dialect, kNoJoins);
      inner.depth_ = depth_;
      const Sql condition = inner.compile(*join.condition);
      if (condition.type != Type::Boolean) fail("the condition of '" + name + "' is not a condition");
      sql.condition = condition.text;
    }
    return {dialect_.spatial_join(sql, bindings_), Type::Boolean};
  }

  Sql arithmetic(const Expression& e) {
    expect_args(e, 2);
    const Sql a = scalar(e.args[0]);
    const Sql b = scalar(e.args[1]);
    for (const Sql* s : {&a, &b})
      if (s->type != Type::Number && s->type != Type::Null)
        fail("arithmetic needs numbers: '" + core::to_debug_string(e) + "'");
    const std::string& n = e.text;
    if (n == "/") return {"(CAST(" + a.text + " AS " + dialect_.real_type() + ") / " + b.text + ")", Type::Number};
    if (n == "div") return {dialect_.integer_division(a.text, b.text), Type::Number};
    if (n == "^") return {"amis_pow(" + a.text + ", " + b.text + ")", Type::Number};
    return {"(" + a.text + " " + n + " " + b.text + ")", Type::Number};
  }

  Sql spatial(const Expression& e) {
    static const char* const kOps[] = {"intersects", "equals", "disjoint", "touches",
                                       "within", "overlaps", "crosses", "contains"};
    std::string op = e.text.substr(2);
    bool known = false;
    for (const char* k : kOps) known = known || op == k;
    if (!known) fail("unknown spatial function '" + e.text + "'");
    expect_args(e, 2);
    const Expression* a = &e.args[0];
    const Expression* b = &e.args[1];
    // Literal first: swap, turning the relation around.
    auto is_literal = [](const Expression* x) { return x->kind == Kind::Geometry || x->kind == Kind::Envelope; };
    if (is_literal(a) && !is_literal(b)) {
      std::swap(a, b);
      if (op == "within") op = "contains";
      else if (op == "contains") op = "within";
    }
    const Sql sa = compile(*a);
    const Sql sb = compile(*b);
    if (sa.type != Type::Geometry || sb.type != Type::Geometry)
      fail("'" + e.text + "' needs two geometries");
    const bool column_and_literal = sa.text == "geom" && is_literal(b);
    if (op != "disjoint" && column_and_literal && literal_envelope(*b).empty()) {
      bindings_.pop_back();  // an empty geometry meets nothing
      return {dialect_.false_condition(), Type::Boolean};
    }
    return {dialect_.spatial(op, sa.text, sb.text, column_and_literal ? b : nullptr, bindings_), Type::Boolean};
  }

  struct Period {
    std::string start, end;
  };

  // One bound of an interval; a date bound covers its day.
  std::string interval_bound(const Expression& bound, bool start) {
    if (bound.kind == Kind::Date)
      return bind(bound.text + (start ? "T00:00:00.000Z" : "T23:59:59.999Z"), Type::Timestamp).text;
    const Sql s = compile(bound);
    if (s.type == Type::Date)
      return "(" + s.text + (start ? " || 'T00:00:00.000Z')" : " || 'T23:59:59.999Z')");
    if (s.type != Type::Timestamp && s.type != Type::Null)
      fail("interval bounds must be dates, timestamps or '..'");
    return s.text;
  }

  Period period(const Expression& e) {
    if (e.kind == Kind::Interval) {
      if (e.args.size() != 2) fail("an interval has two bounds");
      Period p;
      for (int i = 0; i < 2; ++i) {
        const Expression& bound = e.args[static_cast<size_t>(i)];
        std::string sql;
        if (bound.kind == Kind::String && bound.text == "..") {
          sql = bind(std::string(i == 0 ? "0000-01-01T00:00:00.000Z" : "9999-12-31T23:59:59.999Z"),
                     Type::Timestamp).text;
        } else {
          sql = interval_bound(bound, i == 0);
        }
        (i == 0 ? p.start : p.end) = sql;
      }
      return p;
    }
    if (e.kind == Kind::Date) {  // a day: from its first to its last millisecond
      const std::string start = bind(e.text + "T00:00:00.000Z", Type::Timestamp).text;
      return {start, bind(e.text + "T23:59:59.999Z", Type::Timestamp).text};
    }
    if (e.kind == Kind::Timestamp) {
      const std::string start = bind(e.text, Type::Timestamp).text;
      return {start, bind(e.text, Type::Timestamp).text};
    }
    const Sql s = compile(e);
    if (s.type == Type::Date)
      return {"(" + s.text + " || 'T00:00:00.000Z')", "(" + s.text + " || 'T23:59:59.999Z')"};
    if (s.type != Type::Timestamp)
      fail("'" + core::to_debug_string(e) + "' is not an instant or an interval");
    return {s.text, s.text};
  }

  // True when the operand is a date, a date property, or an interval of those
  // (open ends included): then the comparison is made on whole days.
  bool is_date_valued(const Expression& e) const {
    if (e.kind == Kind::Date) return true;
    if (e.kind == Kind::String && e.text == "..") return true;
    if (e.kind == Kind::Property) {
      const core::Property* p = collection_.property(e.text);
      return p && p->type == core::PropertyType::Date;
    }
    if (e.kind == Kind::Interval) {
      for (const auto& bound : e.args)
        if (!is_date_valued(bound)) return false;
      return true;
    }
    return false;
  }

  // A period on the day scale: dates stay 'YYYY-MM-DD', open ends are far dates.
  Period date_period(const Expression& e) {
    auto bound = [this](const Expression& b, bool start) {
      if (b.kind == Kind::String) return bind(std::string(start ? "0000-01-01" : "9999-12-31"), Type::Date).text;
      return compile(b).text;
    };
    if (e.kind == Kind::Interval) {
      const std::string start = bound(e.args[0], true);
      return {start, bound(e.args[1], false)};
    }
    const Sql s = compile(e);
    if (s.text == "?") {
      bindings_.push_back(bindings_.back());
      return {s.text, "?"};
    }
    return {s.text, s.text};
  }

  Sql temporal(const Expression& e) {
    expect_args(e, 2);
    // CQL2 7.10: these relations are defined on intervals only; instants are a client error.
    static const char* const kIntervalOnly[] = {"t_contains", "t_during", "t_finishedBy",
        "t_finishes", "t_meets", "t_metBy", "t_overlappedBy", "t_overlaps", "t_startedBy", "t_starts"};
    for (const char* name : kIntervalOnly)
      if (e.text == name && (e.args[0].kind != Kind::Interval || e.args[1].kind != Kind::Interval))
        fail("'" + e.text + "' compares intervals: use INTERVAL(...) for both arguments");
    const bool days = is_date_valued(e.args[0]) && is_date_valued(e.args[1]);
    const Period a = days ? date_period(e.args[0]) : period(e.args[0]);
    const Period b = days ? date_period(e.args[1]) : period(e.args[1]);
    // Allen's relations on closed periods (CQL2 7.10), written with the bounds in
    // the order they were bound: a.start, a.end, b.start, b.end.
    const std::string& n = e.text;
    std::string c;
    auto cmp = [](const std::string& x, const char* op, const std::string& y) { return x + " " + op + " " + y; };
    // Each bound may be a '?': to keep the binding order, every condition uses
    // a.start, a.end, b.start, b.end through a sub-select that names them.
    const std::string named = "(SELECT " + a.start + " AS s1, " + a.end + " AS e1, " + b.start +
                              " AS s2, " + b.end + " AS e2)" + dialect_.derived_table_alias();
    if (n == "t_after") c = cmp("s1", ">", "e2");
    else if (n == "t_before") c = cmp("e1", "<", "s2");
    else if (n == "t_contains") c = cmp("s1", "<", "s2") + " AND " + cmp("e1", ">", "e2");
    else if (n == "t_disjoint") c = "(" + cmp("e1", "<", "s2") + " OR " + cmp("s1", ">", "e2") + ")";
    else if (n == "t_during") c = cmp("s1", ">", "s2") + " AND " + cmp("e1", "<", "e2");
    else if (n == "t_equals") c = cmp("s1", "=", "s2") + " AND " + cmp("e1", "=", "e2");
    else if (n == "t_finishedBy") c = cmp("s1", "<", "s2") + " AND " + cmp("e1", "=", "e2");
    else if (n == "t_finishes") c = cmp("s1", ">", "s2") + " AND " + cmp("e1", "=", "e2");
    else if (n == "t_intersects") c = cmp("s1", "<=", "e2") + " AND " + cmp("e1", ">=", "s2");
    else if (n == "t_meets") c = cmp("e1", "=", "s2");
    else if (n == "t_metBy") c = cmp("s1", "=", "e2");
    else if (n == "t_overlappedBy")
      c = cmp("s1", ">", "s2") + " AND " + cmp("s1", "<", "e2") + " AND " + cmp("e1", ">", "e2");
    else if (n == "t_overlaps")
      c = cmp("s1", "<", "s2") + " AND " + cmp("e1", ">", "s2") + " AND " + cmp("e1", "<", "e2");
    else if (n == "t_startedBy") c = cmp("s1", "=", "s2") + " AND " + cmp("e1", ">", "e2");
    else if (n == "t_starts") c = cmp("s1", "=", "s2") + " AND " + cmp("e1", "<", "e2");
    else fail("unknown temporal function '" + n + "'");
    return {"EXISTS (SELECT 1 FROM " + named + " WHERE " + c + ")", Type::Boolean};
  }

  Sql array(const Expression& e) {
    if (e.text != "a_equals" && e.text != "a_contains" && e.text != "a_containedBy" &&
        e.text != "a_overlaps")
      fail("unknown array function '" + e.text + "'");
    expect_args(e, 2);
    const Sql a = compile(e.args[0]);
    const Sql b = compile(e.args[1]);
    for (const Sql* s : {&a, &b})
      if (s->type != Type::Array && s->type != Type::Text)
        fail("'" + e.text + "' needs arrays");
    return {"(amis_array('" + e.text + "', " + a.text + ", " + b.text + ") = 1)", Type::Boolean};
  }

  // Long AND/OR chains as a balanced tree of parenthesised groups, so that
  // SQLite's expression depth grows with the logarithm of their length.
  std::string join_balanced(const std::vector<std::string>& parts, size_t from, size_t to,
                            const char* op) {
    std::string sql = "(";
    if (to - from <= 8) {
      for (size_t i = from; i < to; ++i) sql += (i > from ? op : "") + parts[i];
    } else {
      const size_t mid = from + (to - from) / 2;
      sql += join_balanced(parts, from, mid, op) + op + join_balanced(parts, mid, to, op);
    }
    return sql + ")";
  }

  const core::Collection& collection_;
  std::vector<Binding>& bindings_;
  const FilterDialect& dialect_;
  const std::vector<core::Collection>& joined_;
  int depth_ = 0;
  std::size_t vertices_ = 0;  // of the geometry literals compiled so far
};

}  // namespace

std::string real_as_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", v);
  std::string s(buffer);
  if (s.find_first_of(".eEni") == std::string::npos) s += ".0";
  return s;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

core::Envelope FilterDialect::literal_envelope(const core::Expression& literal) {
  return amis::store::literal_envelope(literal);
}

void compile_filter(const core::Collection& collection, const core::Expression& filter, const FilterDialect& dialect,
                    std::string& sql, std::vector<Binding>& bindings, const std::vector<core::Collection>& joined) {
  Compiler compiler(collection, bindings, dialect, joined);
  const Sql s = compiler.compile(filter);
  if (s.type != Type::Boolean) fail("the filter is not a condition");
  sql += s.text;
}

}  // namespace amis::store
