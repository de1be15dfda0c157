#pragma once
// Compiles a filter Expression (CQL2 text/JSON, FES, OGC Filter) to an SQL
// condition over a feature table, for every SQL store. Literals become bound
// parameters (positional, in the order of the text); property names are checked
// against the collection and quoted. What differs between SQLite (GeoPackage)
// and PostgreSQL (PostGIS) — spatial predicates and their index, a few spellings —
// is the store's FilterDialect.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/collection.hpp"
#include "core/envelope.hpp"
#include "core/expression.hpp"

namespace amis::store {

using Blob = std::vector<std::uint8_t>;
// A bound value: a Blob is a WKB geometry literal; a bool a boolean literal.
using Binding = std::variant<std::int64_t, double, std::string, Blob, bool>;

// A spatial join (core/spatial_join.hpp) as the compiler hands it to a dialect:
// `outer_geometry` is the filtered feature's geometry column, qualified with its
// table; `condition` an SQL condition over the other collection's table (its
// columns unqualified: the dialect's sub-query has that table alone in FROM),
// with its values in `condition_bindings`.
struct SpatialJoinSql {
  bool within_distance = false;  // else inside
  std::string outer_geometry;
  const core::Collection* other = nullptr;
  double metres = 0;
  std::string condition;  // empty: every feature of the other collection
  std::vector<Binding> condition_bindings;
};

// An element of an array built in SQL (an array with a property or a function in it):
// its SQL, and whether it is a condition (SQLite has no JSON true/false of its own)
// or itself such an array, as JSON text.
struct JsonArrayElement {
  std::string sql;
  bool boolean = false;
  bool array = false;
};

class FilterDialect {
 public:
  virtual ~FilterDialect() = default;
  // A condition that never holds ("0" in SQLite, "FALSE" in PostgreSQL).
  virtual const char* false_condition() const = 0;
  // True unless `condition` is true (NULL counts as not true).
  virtual std::string not_true(const std::string& condition) const = 0;
  // The floating-point type `/` casts its left operand to.
  virtual const char* real_type() const = 0;
  // CQL2 `div`: the quotient truncated to an integer.
  virtual std::string integer_division(const std::string& a, const std::string& b) const = 0;
  // The condition that a feature's geometry meets one of these CRS84 boxes (one,
  // or two for a box across the antimeridian). `after`: a keyset page's last id
  // (the WHERE clause has fid > after too), for a spatial index that can use it.
  virtual std::string bbox(const std::vector<core::Envelope>& boxes, std::optional<std::int64_t> after,
                           std::vector<Binding>& bindings) const = 0;
  // The JSON text of an array of these elements (amis_array's operand).
  virtual std::string json_array(const std::vector<JsonArrayElement>& elements) const = 0;
  // What follows a sub-select in FROM (PostgreSQL 15 needs an alias).
  virtual const char* derived_table_alias() const = 0;
  // The condition `a OP b` (op: "intersects", "within", ... as in CQL2). When
  // `literal` is given, `a` is the geometry column and `b` the placeholder of
  // that literal, the last of `bindings` (a dialect may insert bindings before it).
  virtual std::string spatial(const std::string& op, const std::string& a, const std::string& b,
                              const core::Expression* literal, std::vector<Binding>& bindings) const = 0;
  // EXISTS over the other collection, narrowed by its spatial index; appends
  // the values of the text (the condition's included) to `bindings`.
  virtual std::string spatial_join(const SpatialJoinSql& join, std::vector<Binding>& bindings) const = 0;
  // The dialect for a condition on another collection (a join's).
  virtual std::unique_ptr<FilterDialect> for_collection(const core::Collection& other) const = 0;

 protected:
  // The CRS84 envelope a literal can meet (every longitude across the antimeridian).
  static core::Envelope literal_envelope(const core::Expression& literal);
};

// A REAL as SQLite writes it as text ("%.15g", with ".0" when integral).
std::string real_as_text(double v);

// "name" with doubled quotes (the same in SQLite and PostgreSQL).
std::string quote_identifier(std::string_view name);

// Appends the condition (without WHERE/AND) to `sql` and its values to `bindings`.
// `joined`: the collections spatial joins may name (FeatureQuery::joined).
// @throws InvalidParameter("filter", ...) for an unknown property (named), a
// type mismatch, an operator the store does not support, or a join naming a
// collection not in `joined`.
void compile_filter(const core::Collection& collection, const core::Expression& filter, const FilterDialect& dialect,
                    std::string& sql, std::vector<Binding>& bindings,
                    const std::vector<core::Collection>& joined = {});

}  // namespace amis::store
