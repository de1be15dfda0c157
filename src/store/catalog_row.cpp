#include "store/catalog_row.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "catalog/record_facets.hpp"
#include "catalog/record_json.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"
#include "store/full_text_words.hpp"

namespace amis::store {
namespace {

// Dates as the filters compare them: normalised UTC text; a date alone as the
// start (or the end) of its day.
std::optional<std::string> normalised(const std::string& text, bool end, const char* element) {
  if (text.empty()) return std::nullopt;
  auto instant = core::parse_instant(text);
  if (!instant) throw core::InvalidValue(element, "'" + text + "' is not an RFC 3339 date or date-time");
  if (instant->size() == 10) return *instant + (end ? "T23:59:59.999Z" : "T00:00:00.000Z");
  return instant;
}

std::optional<std::string> text_or_null(const std::string& v) {
  if (v.empty()) return std::nullopt;
  return v;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : " ") + v;
  return out;
}

std::vector<std::string> external_ids(const catalog::Record& r) {
  std::vector<std::string> out;
  for (const auto& e : r.external_ids) {
    out.push_back(e.value);
    if (!e.scheme.empty()) out.push_back(e.scheme + ":" + e.value);
  }
  return out;
}

std::string other_text(const catalog::Record& r) {
  std::string out = r.id + " " + r.country + " " + r.lineage + " " + r.attribution;
  for (const auto& p : r.contacts) out += " " + p.organisation + " " + p.individual;
  for (const auto& e : r.external_ids) out += " " + e.value;
  return out;
}

// The record's content without its time stamp, to tell whether it changed.
std::string content(catalog::Record record) {
  record.updated.clear();
  return catalog::to_json(record).dump();
}

}  // namespace

DerivedChanges derived_changes(std::vector<catalog::Record> old, const std::vector<catalog::Record>& fresh) {
  std::map<std::string, catalog::Record, std::less<>> before;
  for (auto& r : old) before.emplace(r.id, std::move(r));
  DerivedChanges out;
  for (const auto& f : fresh) {
    if (f.origin != catalog::RecordOrigin::Derived)
      throw core::InvalidValue("origin", "replace_derived takes derived records only: " + f.id);
    auto it = before.find(f.id);
    if (it != before.end()) {
      const bool same = content(it->second) == content(f);
      before.erase(it);
      if (same) continue;
    }
    catalog::Record r = f;
    r.updated.clear();
    out.writes.push_back(std::move(r));
  }
  for (const auto& [id, gone] : before) out.removals.push_back(id);
  return out;
}

catalog::Record record_from_document(std::string_view document) {
  auto j = nlohmann::json::parse(document, nullptr, false);
  if (j.is_discarded()) throw core::ServerError("a catalogue record's document is not JSON");
  return catalog::record_from_json(j);
}

std::vector<std::string_view> searchable_words(std::string_view term) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < term.size()) {
    // Words are separated by spaces and control characters (a NUL would end FTS5's
    // reading of its query text inside a quoted word).
    std::size_t end = start;
    while (end < term.size() && static_cast<unsigned char>(term[end]) > 0x20 && term[end] != 0x7f) ++end;
    const auto word = term.substr(start, end - start);
    const bool searchable = std::ranges::any_of(word, [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return u >= 0x80 || std::isalnum(u);
    });
    if (searchable) out.push_back(word);
    start = end + 1;
  }
  return out;
}

std::string json_array(const std::vector<std::string>& values) { return nlohmann::json(values).dump(); }

PreparedRecord prepare_record(const catalog::Record& record) {
  PreparedRecord out;
  out.row = record_row(record);
  out.terms = record_terms(out.row);
  out.stem_title = stemmed_text(out.row.title);
  out.stem_keywords = stemmed_text(out.row.keyword_text);
  out.stem_description = stemmed_text(out.row.description);
  out.stem_other = stemmed_text(out.row.other_text);
  out.words = full_text_words(out.row.title + " " + out.row.keyword_text + " " + out.row.description);
  return out;
}

RecordRow record_row(const catalog::Record& r) {
  catalog::validate(r);
  if (r.updated.empty()) throw core::ServerError("a catalogue record is written without its time stamp");
  RecordRow row;
  row.id = r.id;
  row.origin = catalog::to_string(r.origin);
  row.type = r.type;
  row.title = r.title;
  row.description = r.abstract;
  row.country = text_or_null(r.country);
  row.language = text_or_null(r.language);
  row.license = text_or_null(r.licence);
  row.parent = text_or_null(r.parent_id);
  row.keywords = catalog::facet_values(r, catalog::FacetField::Keyword);
  row.themes = catalog::facet_values(r, catalog::FacetField::Theme);
  row.formats = r.formats();
  row.external_ids = catalog::distinct_values(external_ids(r));
  row.created = normalised(r.created, false, "created");
  row.updated = *normalised(r.updated, false, "updated");
  row.published = normalised(r.published, false, "published");
  row.feature_count = r.feature_count;
  const auto& t = r.temporal_extent;
  if (t && t->start) row.time_start = normalised(*t->start, false, "time");
  if (t && t->end) row.time_end = normalised(*t->end, true, "time");
  row.extent = r.extent;
  row.keyword_text = joined(r.all_keywords()) + " " + joined(r.topic_categories);
  row.other_text = other_text(r);
  row.document = catalog::to_json(r).dump();
  return row;
}

std::vector<RecordTerm> record_terms(const RecordRow& row) {
  std::vector<RecordTerm> out;
  for (const auto& v : row.keywords) out.push_back({"keyword", v});
  for (const auto& v : row.themes) out.push_back({"theme", v});
  for (const auto& v : row.formats) out.push_back({"format", v});
  for (const auto& v : row.external_ids) out.push_back({"externalId", v});
  out.push_back({"type", row.type});
  if (row.country) out.push_back({"country", *row.country});
  return out;
}

}  // namespace amis::store
