#include "store/gpkg/filter_functions.hpp"

#include <geos_c.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/geos_context.hpp"
#include "core/request_budget.hpp"
#include "core/wkb.hpp"
#include "store/gpkg/gpkg_binary.hpp"
#include "store/gpkg/join_functions.hpp"
#include "store/gpkg/spatial_predicate.hpp"

namespace amis::store::gpkg {
namespace {

GEOSContextHandle_t geos() { return core::geos_context(); }

// A GEOS geometry read from a GeoPackage blob or plain WKB.
GEOSGeometry* read_geometry(sqlite3_value* v) {
  if (sqlite3_value_type(v) != SQLITE_BLOB) return nullptr;
  std::span<const std::uint8_t> bytes(static_cast<const std::uint8_t*>(sqlite3_value_blob(v)),
                                      static_cast<size_t>(sqlite3_value_bytes(v)));
  if (bytes.size() >= 2 && bytes[0] == 'G' && bytes[1] == 'P') {
    try {
      bytes = parse_gpkg_geometry(bytes).wkb;
    } catch (const core::WkbError&) {
      return nullptr;
    }
  }
  return GEOSGeomFromWKB_buf_r(geos(), bytes.data(), bytes.size());
}

// amis_spatial(op, a, b): b, a bound literal, is the same for every row; SQLite
// keeps it parsed and prepared as auxiliary data between calls of one statement.
// A request whose budget is spent stops here too: one relate can take long, and
// SQLite's progress handler only runs between rows.
void spatial(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (core::RequestBudget::exhausted()) return sqlite3_result_error(ctx, "amis_spatial: the request's budget is spent", -1);
  const auto* name = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto op = name ? parse_spatial_op(name) : std::nullopt;
  if (!op) return sqlite3_result_error(ctx, "amis_spatial: unknown operator", -1);
  GEOSGeometry* a = read_geometry(argv[1]);
  if (!a) return sqlite3_result_null(ctx);
  auto* cached = static_cast<PreparedLiteral*>(sqlite3_get_auxdata(ctx, 2));
  PreparedLiteral* fresh = nullptr;
  if (!cached) {
    GEOSGeometry* b = read_geometry(argv[2]);
    if (!b) {
      GEOSGeom_destroy_r(geos(), a);
      return sqlite3_result_null(ctx);
    }
    fresh = new PreparedLiteral(b);
  }
  const PreparedLiteral* p = cached ? cached : fresh;
  const auto result = p->test(*op, a);
  GEOSGeom_destroy_r(geos(), a);
  // Last: SQLite may destroy the data at once when the argument is not constant.
  if (fresh) sqlite3_set_auxdata(ctx, 2, fresh, [](void* data) { delete static_cast<PreparedLiteral*>(data); });
  if (!result) return sqlite3_result_null(ctx);
  sqlite3_result_int(ctx, *result ? 1 : 0);
}

// Latin letters whose diacritic is not a combining mark, so NFD leaves them
// whole: Vietnamese đ, Nordic ø, Polish ł, Maltese ħ, Turkish ı, Sami ŧ.
UChar32 base_letter(UChar32 c) {
  switch (c) {
    case 0x0111: return 'd';  // đ
    case 0x0110: return 'D';  // Đ
    case 0x00F8: return 'o';  // ø
    case 0x00D8: return 'O';  // Ø
    case 0x0142: return 'l';  // ł
    case 0x0141: return 'L';  // Ł
    case 0x0127: return 'h';  // ħ
    case 0x0126: return 'H';  // Ħ
    case 0x0131: return 'i';  // ı
    case 0x0167: return 't';  // ŧ
    case 0x0166: return 'T';  // Ŧ
    default: return c;
  }
}

// Folds or strips `text` with ICU; returns UTF-8.
std::string icu_transform(const char* utf8, int bytes, bool fold_case, bool strip_accents) {
  UErrorCode status = U_ZERO_ERROR;
  std::vector<UChar> u(static_cast<size_t>(bytes) + 1);
  int32_t length = 0;
  u_strFromUTF8(u.data(), static_cast<int32_t>(u.size()), &length, utf8, bytes, &status);
  if (U_FAILURE(status)) return std::string(utf8, static_cast<size_t>(bytes));
  u.resize(static_cast<size_t>(length));
  if (strip_accents) {
    const UNormalizer2* nfd = unorm2_getNFDInstance(&status);
    std::vector<UChar> decomposed(u.size() * 4 + 4);
    length = unorm2_normalize(nfd, u.data(), static_cast<int32_t>(u.size()), decomposed.data(),
                              static_cast<int32_t>(decomposed.size()), &status);
    if (U_FAILURE(status)) return std::string(utf8, static_cast<size_t>(bytes));
    u.clear();
    for (int32_t i = 0; i < length;) {
      UChar32 c;
      U16_NEXT(decomposed.data(), i, length, c);
      if (u_charType(c) == U_NON_SPACING_MARK) continue;
      c = base_letter(c);
      UChar buf[2];
      int32_t n = 0;
      U16_APPEND_UNSAFE(buf, n, c);
      u.insert(u.end(), buf, buf + n);
    }
  }
  if (fold_case) {
    std::vector<UChar> folded(u.size() * 3 + 4);
    length = u_strFoldCase(folded.data(), static_cast<int32_t>(folded.size()), u.data(),
                           static_cast<int32_t>(u.size()), U_FOLD_CASE_DEFAULT, &status);
    if (U_FAILURE(status)) return std::string(utf8, static_cast<size_t>(bytes));
    folded.resize(static_cast<size_t>(length));
    u = std::move(folded);
  }
  std::string out(u.size() * 4 + 4, '\0');
  int32_t out_length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length, u.data(),
              static_cast<int32_t>(u.size()), &status);
  out.resize(static_cast<size_t>(out_length));
  return out;
}

template <bool FoldCase, bool StripAccents>
void text_transform(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int bytes = sqlite3_value_bytes(argv[0]);
  const std::string out = icu_transform(text, bytes, FoldCase, StripAccents);
  sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

// Unicode case mapping (SQLite's own lower()/upper() only know ASCII).
template <bool Upper>
void change_case(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int bytes = sqlite3_value_bytes(argv[0]);
  UErrorCode status = U_ZERO_ERROR;
  std::vector<UChar> u(static_cast<size_t>(bytes) + 1);
  int32_t length = 0;
  u_strFromUTF8(u.data(), static_cast<int32_t>(u.size()), &length, text, bytes, &status);
  std::vector<UChar> mapped(static_cast<size_t>(length) * 3 + 4);
  const int32_t n = Upper ? u_strToUpper(mapped.data(), static_cast<int32_t>(mapped.size()), u.data(), length, "", &status)
                          : u_strToLower(mapped.data(), static_cast<int32_t>(mapped.size()), u.data(), length, "", &status);
  std::string out(static_cast<size_t>(n) * 4 + 4, '\0');
  int32_t out_length = 0;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length, mapped.data(), n, &status);
  if (U_FAILURE(status)) return sqlite3_result_text(ctx, text, bytes, SQLITE_TRANSIENT);
  sqlite3_result_text(ctx, out.data(), out_length, SQLITE_TRANSIENT);
}

void array_predicate(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto* op = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto* a_text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  const auto* b_text = reinterpret_cast<const char*>(sqlite3_value_text(argv[2]));
  if (!op || !a_text || !b_text) return sqlite3_result_null(ctx);
  auto a = nlohmann::json::parse(a_text, nullptr, false);
  auto b = nlohmann::json::parse(b_text, nullptr, false);
  if (!a.is_array() || !b.is_array()) return sqlite3_result_null(ctx);
  auto contains_all = [](const nlohmann::json& x, const nlohmann::json& y) {
    for (const auto& e : y)
      if (std::find(x.begin(), x.end(), e) == x.end()) return false;
    return true;
  };
  bool result = false;
  const std::string name(op);
  // CQL2 compares arrays as sets: the order of the elements does not matter.
  if (name == "a_equals") result = contains_all(a, b) && contains_all(b, a);
  else if (name == "a_contains") result = contains_all(a, b);
  else if (name == "a_containedBy") result = contains_all(b, a);
  else if (name == "a_overlaps") {
    for (const auto& e : a) result = result || std::find(b.begin(), b.end(), e) != b.end();
  }
  sqlite3_result_int(ctx, result);
}

void power(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
    return sqlite3_result_null(ctx);
  const double v = std::pow(sqlite3_value_double(argv[0]), sqlite3_value_double(argv[1]));
  if (!std::isfinite(v)) return sqlite3_result_null(ctx);
  sqlite3_result_double(ctx, v);
}

void add(sqlite3* db, const char* name, int args, void (*fn)(sqlite3_context*, int, sqlite3_value**)) {
  sqlite3_create_function_v2(db, name, args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, fn,
                             nullptr, nullptr, nullptr);
}

}  // namespace

void register_filter_functions(sqlite3* db) {
  add(db, "amis_spatial", 3, spatial);
  add(db, "amis_casei", 1, text_transform<true, false>);
  add(db, "amis_accenti", 1, text_transform<false, true>);
  add(db, "amis_lower", 1, change_case<false>);
  add(db, "amis_upper", 1, change_case<true>);
  add(db, "amis_array", 3, array_predicate);
  add(db, "amis_pow", 2, power);
  register_join_functions(db);
}

}  // namespace amis::store::gpkg
