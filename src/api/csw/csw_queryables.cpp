#include "api/csw/csw_queryables.hpp"

#include <array>
#include <cctype>

#include "catalog/any_text.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::api::csw {
namespace {

// An operator name no filter language spells: one AnyText word until set_filter.
constexpr std::string_view kAnyTextWord = "amis:anytext";

using core::Expression;
using core::PropertyType;
using Kind = Expression::Kind;
using catalog::FacetField;

constexpr std::array kQueryables{
    // OGC 07-045 (ISO AP 1.0) common and additional queryables
    CswQueryable{"csw:AnyText", "", PropertyType::Text, false, std::nullopt},
    CswQueryable{"apiso:Title", "title", PropertyType::Text, true, std::nullopt},
    CswQueryable{"apiso:Abstract", "description", PropertyType::Text, false, std::nullopt},
    CswQueryable{"apiso:Subject", "keywords", PropertyType::Text, false, FacetField::Keyword},
    CswQueryable{"apiso:Type", "type", PropertyType::Text, true, FacetField::Type},
    CswQueryable{"apiso:Identifier", "id", PropertyType::Text, true, std::nullopt},
    CswQueryable{"apiso:Modified", "updated", PropertyType::DateTime, true, std::nullopt},
    CswQueryable{"apiso:Format", "formats", PropertyType::Text, false, FacetField::Format},
    CswQueryable{"apiso:BoundingBox", "geometry", PropertyType::Text, false, std::nullopt},
    CswQueryable{"apiso:TopicCategory", "themes", PropertyType::Text, false, FacetField::Theme},
    CswQueryable{"apiso:ResourceLanguage", "language", PropertyType::Text, true, std::nullopt},
    CswQueryable{"apiso:ParentIdentifier", "parent", PropertyType::Text, false, std::nullopt},
    CswQueryable{"apiso:CreationDate", "created", PropertyType::DateTime, true, std::nullopt},
    CswQueryable{"apiso:PublicationDate", "published", PropertyType::DateTime, true, std::nullopt},
    // Dublin Core (OGC 07-006r1 table 1) and DCMI terms
    CswQueryable{"dc:title", "title", PropertyType::Text, true, std::nullopt},
    CswQueryable{"dct:abstract", "description", PropertyType::Text, false, std::nullopt},
    CswQueryable{"dc:description", "description", PropertyType::Text, false, std::nullopt},
    CswQueryable{"dc:subject", "keywords", PropertyType::Text, false, FacetField::Keyword},
    CswQueryable{"dc:type", "type", PropertyType::Text, true, FacetField::Type},
    CswQueryable{"dc:identifier", "id", PropertyType::Text, true, std::nullopt},
    CswQueryable{"dct:modified", "updated", PropertyType::DateTime, true, std::nullopt},
    CswQueryable{"dc:date", "updated", PropertyType::DateTime, true, std::nullopt},
    CswQueryable{"dc:format", "formats", PropertyType::Text, false, FacetField::Format},
    CswQueryable{"dc:language", "language", PropertyType::Text, true, std::nullopt},
    CswQueryable{"dc:relation", "parent", PropertyType::Text, false, std::nullopt},
    CswQueryable{"dc:rights", "license", PropertyType::Text, true, std::nullopt},
    CswQueryable{"ows:BoundingBox", "geometry", PropertyType::Text, false, std::nullopt},
    // The member state a record is about (ISO 3166 alpha-3), for the portal's facets.
    CswQueryable{"amis:Country", "country", PropertyType::Text, true, FacetField::Country},
};

std::string_view local_part(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

[[noreturn]] void refuse(const std::string& why) { throw core::InvalidParameter("Constraint", why); }

bool names_property(const Expression& e, std::string_view local) {
  if (e.kind == Kind::Property) return local_part(e.text) == local;
  if (e.kind == Kind::Operator && (e.text == "casei" || e.text == "accenti") && e.args.size() == 1)
    return names_property(e.args[0], local);
  return false;
}

Expression casei(Expression e) {
  if (e.kind == Kind::Operator && e.text == "casei") return e;
  return Expression::op("casei", {std::move(e)});
}

Expression string_literal(std::string text) {
  Expression e;
  e.kind = Kind::String;
  e.text = std::move(text);
  return e;
}

// The words of a LIKE pattern or a value: the text between wildcards and spaces,
// with LIKE's escapes undone.
std::vector<std::string> words_of(const std::string& pattern, bool is_like) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (is_like && c == '\\' && i + 1 < pattern.size()) {
      c = pattern[++i];
    } else if ((is_like && (c == '%' || c == '_')) || std::isspace(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    word += c;
  }
  flush();
  if (words.size() > 32) refuse("AnyText takes at most 32 words");
  return words;
}

// AnyText LIKE '%gold copper%' → every word in one of the text fields. Each word
// is first a marker (kAnyTextWord), so that set_filter can hand the words every
// match must contain to the store's full-text index; markers left elsewhere
// become catalog::any_text_condition.
Expression any_text(const Expression& predicate) {
  const bool like = predicate.text == "like";
  if ((!like && predicate.text != "=") || predicate.args.size() != 2)
    refuse("csw:AnyText takes PropertyIsLike or PropertyIsEqualTo only");
  const Expression* value = &predicate.args[1];
  if (value->kind == Kind::Operator && value->text == "casei" && value->args.size() == 1) value = &value->args[0];
  if (value->kind != Kind::String) refuse("csw:AnyText is compared with a text");
  std::vector<Expression> all;
  for (const auto& word : words_of(value->text, like))
    all.push_back(Expression::op(std::string(kAnyTextWord), {string_literal(word)}));
  if (all.empty())  // '%' alone: every record (each has a title)
    return Expression::op("like", {Expression::property("title"), string_literal("%")});
  if (all.size() == 1) return std::move(all[0]);
  return Expression::op("and", std::move(all));
}

bool is_any_text_word(const Expression& e) { return e.kind == Kind::Operator && e.text == kAnyTextWord; }

// The markers of any_text() as the condition they stand for.
Expression expand_any_text(Expression e) {
  if (is_any_text_word(e)) return catalog::any_text_condition(e.args[0].text);
  for (auto& arg : e.args) arg = expand_any_text(std::move(arg));
  return e;
}

// A text compared with a date queryable ("apiso:Modified > '2020-01-01'" in CQL)
// is read as the instant it spells.
void coerce_instants(Expression& e) {
  if (e.kind != Kind::Operator || e.args.size() < 2 || e.args[0].kind != Kind::Property) return;
  const CswQueryable* q = find_csw_queryable(e.args[0].text);
  if (!q || q->type != PropertyType::DateTime) return;
  for (std::size_t i = 1; i < e.args.size(); ++i) {
    auto& literal = e.args[i];
    if (literal.kind != Kind::String) continue;
    const auto instant = core::parse_instant(literal.text);
    if (!instant) refuse("'" + literal.text.substr(0, 40) + "' is not a date or time (" + std::string(q->name) + ")");
    literal.kind = instant->size() == 10 ? Kind::Date : Kind::Timestamp;
    literal.text = *instant;
  }
}

Expression rename(const Expression& e) {
  if (e.kind == Kind::Property) {
    const CswQueryable* q = find_csw_queryable(e.text);
    if (!q || q->catalog.empty()) refuse("'" + e.text.substr(0, 80) + "' is not a queryable here");
    return Expression::property(std::string(q->catalog));
  }
  if (e.kind == Kind::Operator && e.args.size() == 2 && names_property(e.args[0], "AnyText")) return any_text(e);
  Expression out = e;
  coerce_instants(out);
  for (auto& arg : out.args) arg = rename(arg);
  // Catalogues match text patterns without regard to case.
  if (out.kind == Kind::Operator && out.text == "like" && out.args.size() == 2) {
    out.args[0] = casei(std::move(out.args[0]));
    out.args[1] = casei(std::move(out.args[1]));
  }
  return out;
}

bool is_extent_bbox(const Expression& e) {
  return e.kind == Kind::Operator && e.text == "s_intersects" && e.args.size() == 2 &&
         e.args[0].kind == Kind::Property && e.args[0].text == "geometry" && e.args[1].kind == Kind::Envelope;
}

}  // namespace

std::span<const CswQueryable> csw_queryables() { return kQueryables; }

const CswQueryable* find_csw_queryable(std::string_view name) {
  const auto local = local_part(name);
  for (const auto& q : kQueryables)
    if (local_part(q.name) == local) return &q;
  return nullptr;
}

const core::Collection& csw_filter_vocabulary() {
  static const core::Collection vocabulary = [] {
    core::Collection c;
    c.id = "Record";
    for (const auto& q : kQueryables) c.properties.push_back({std::string(local_part(q.name)), q.type});
    return c;
  }();
  return vocabulary;
}

core::Expression to_catalog_filter(const core::Expression& csw_filter) { return rename(csw_filter); }

void set_filter(catalog::CatalogQuery& query, core::Expression filter) {
  std::vector<Expression> rest;
  auto take = [&](Expression& e) {
    if (is_extent_bbox(e) && !query.bbox) query.bbox = e.args[1].envelope;
    else if (is_any_text_word(e)) query.any_text.push_back(e.args[0].text);
    else rest.push_back(expand_any_text(std::move(e)));
  };
  if (filter.kind == Kind::Operator && filter.text == "and") {
    for (auto& operand : filter.args) {
      if (operand.kind == Kind::Operator && operand.text == "and")  // AnyText of several words
        for (auto& inner : operand.args) take(inner);
      else take(operand);
    }
  } else {
    take(filter);
  }
  if (rest.empty()) return;
  query.filter = std::make_shared<const core::Expression>(rest.size() == 1 ? std::move(rest[0])
                                                                            : Expression::op("and", std::move(rest)));
}

}  // namespace amis::api::csw
