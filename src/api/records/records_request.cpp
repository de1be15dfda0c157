#include "api/records/records_request.hpp"

#include <charconv>

#include "api/features/items_request.hpp"
#include "catalog/queryables.hpp"
#include "catalog/record.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::api::records {
namespace {

constexpr std::string_view kParameters[] = {"f",     "q",       "bbox",   "datetime", "type",        "ids",
                                            "externalIds", "filter", "filter-lang", "filter-crs", "sortby",
                                            "limit", "offset",  "facets", "federated", "hopCount", "deadline"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::int64_t parse_count(std::string_view name, std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < min || v > max)
    throw core::InvalidParameter(std::string(name), "an integer from " + std::to_string(min) + " to " +
                                                        std::to_string(max) + " is expected");
  return v;
}

// sortby=+title,-updated (also "title DESC").
std::vector<core::SortKey> parse_sortby(std::string_view text) {
  std::vector<core::SortKey> keys;
  for (auto item : parse_list("sortby", text)) {
    core::SortKey key;
    std::string_view s = item;
    if (auto space = s.find(' '); space != std::string_view::npos) {
      const auto dir = trim(s.substr(space + 1));
      if (dir == "DESC" || dir == "desc") key.descending = true;
      else if (dir != "ASC" && dir != "asc") throw core::InvalidParameter("sortby", "'" + item + "': the direction is ASC or DESC");
      s = trim(s.substr(0, space));
    } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
      key.descending = s.front() == '-';
      s.remove_prefix(1);
    }
    const auto* q = catalog::find_queryable(s);
    if (!q || !q->sortable)
      throw core::InvalidParameter("sortby", "'" + std::string(s) + "' is not a sortable (see /sortables)");
    key.property = std::string(s);
    keys.push_back(std::move(key));
  }
  return keys;
}

std::vector<catalog::FacetField> parse_facets(std::string_view text) {
  if (text == "true") return {std::begin(catalog::kFacetFields), std::end(catalog::kFacetFields)};
  if (text == "false") return {};
  std::vector<catalog::FacetField> out;
  for (const auto& name : parse_list("facets", text)) {
    auto f = catalog::parse_facet_field(name);
    if (!f) throw core::InvalidParameter("facets", "'" + name + "' is not a facet: keyword, country, theme, type, format, or true");
    out.push_back(*f);
  }
  return out;
}

}  // namespace

std::vector<std::string> parse_list(std::string_view parameter, std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto item = trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!item.empty()) out.emplace_back(item);
    if (out.size() > kMaxListValues)
      throw core::InvalidParameter(std::string(parameter), "at most " + std::to_string(kMaxListValues) + " values");
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

catalog::CatalogQuery parse_records_request(const http::Request& request) {
  catalog::CatalogQuery q;
  q.limit = kDefaultLimit;
  for (const auto& [name, value] : request.query) {
    bool known = false;
    for (auto k : kParameters) known = known || name == k;
    if (!known) throw core::UnknownParameter(name);
  }
  if (auto v = request.param("q")) q.q = parse_list("q", *v);
  if (auto v = request.param("bbox")) q.bbox = features::parse_bbox(*v);
  if (auto v = request.param("datetime")) q.datetime = core::parse_datetime_parameter(*v);
  if (auto v = request.param("type")) q.types = parse_list("type", *v);
  if (auto v = request.param("ids")) q.ids = parse_list("ids", *v);
  if (auto v = request.param("externalIds")) q.external_ids = parse_list("externalIds", *v);
  if (auto v = request.param("filter-crs"); v && *v != "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
    throw core::InvalidParameter("filter-crs", "only http://www.opengis.net/def/crs/OGC/1.3/CRS84 is supported");
  q.filter = features::parse_filter(request);
  if (auto v = request.param("sortby")) q.sortby = parse_sortby(*v);
  if (auto v = request.param("limit")) q.limit = parse_count("limit", *v, 1, kMaxLimit);
  if (auto v = request.param("offset")) q.offset = parse_count("offset", *v, 0, std::int64_t{1} << 53);
  if (auto v = request.param("facets")) q.facets = parse_facets(*v);
  return q;
}

}  // namespace amis::api::records
