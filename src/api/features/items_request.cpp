#include "api/features/items_request.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include "api/common/downloads.hpp"
#include "core/error.hpp"
#include "encode/coordinate_transform.hpp"
#include "query/cql2.hpp"
#include "query/filter_crs.hpp"
#include "query/projected_box.hpp"

namespace amis::api::features {
namespace {

std::int64_t parse_integer(std::string_view name, std::string_view text, std::int64_t min) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min)
    throw core::InvalidParameter(std::string(name), "'" + std::string(text) +
                                                        "' is not an integer >= " +
                                                        std::to_string(min));
  return value;
}

}  // namespace

bool is_items_parameter(std::string_view name) {
  return name == "f" || name == "bbox" || name == "datetime" || name == "limit" ||
         name == "offset" || name == "crs" || name == "bbox-crs" || name == "filter" ||
         name == "filter-lang" || name == "filter-crs" || name == "sortby" || name == "properties" ||
         name == "download" || name == "after";
}

bool is_download_request(const http::Request& request) {
  bool download = false;
  if (auto value = request.param("download")) {
    if (*value != "true" && *value != "false")
      throw core::InvalidParameter("download", "'" + std::string(*value) + "' is not true or false");
    download = *value == "true";
  }
  if (auto f = request.param("f"); f && find_download_format(*f)) download = true;
  return download;
}

namespace {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  while (true) {
    const auto comma = text.find(',');
    std::string item(text.substr(0, comma));
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) items.push_back(item);
    if (comma == std::string_view::npos) return items;
    text.remove_prefix(comma + 1);
  }
}

// sortby=+name,-capacity_mtpa (also "name DESC" / "name ASC").
std::vector<core::SortKey> parse_sortby(std::string_view text, const core::Collection& c) {
  std::vector<core::SortKey> keys;
  for (auto item : split_list(text)) {
    core::SortKey key;
    if (item.front() == '+' || item.front() == '-') {
      key.descending = item.front() == '-';
      item.erase(0, 1);
    } else if (auto space = item.find(' '); space != std::string::npos) {
      std::string order = item.substr(space + 1);
      for (auto& ch : order) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (order != "ASC" && order != "DESC")
        throw core::InvalidParameter("sortby", "'" + item + "': the direction is ASC or DESC");
      key.descending = order == "DESC";
      item = item.substr(0, space);
    }
    if (!c.property(item)) throw core::InvalidParameter("sortby", "unknown property '" + item + "'");
    key.property = item;
    keys.push_back(key);
  }
  if (keys.empty()) throw core::InvalidParameter("sortby", "no property given");
  return keys;
}

std::vector<std::string> parse_properties(std::string_view text, const core::Collection& c) {
  auto names = split_list(text);
  for (const auto& name : names)
    if (!c.property(name)) throw core::InvalidParameter("properties", "unknown property '" + name + "'");
  return names;
}

// The 4 (or 6) numbers of a bbox in the order given, without checking ranges.
core::Envelope bbox_numbers(std::string_view text) {
  std::vector<double> numbers;
  while (true) {
    const auto comma = text.find(',');
    const auto part = text.substr(0, comma);
    double v = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc{} || end != part.data() + part.size() || !std::isfinite(v))
      throw core::InvalidParameter("bbox", "'" + std::string(part) + "' is not a number");
    numbers.push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  core::Envelope box;
  if (numbers.size() == 4) {
    box = {numbers[0], numbers[1], numbers[2], numbers[3]};
  } else if (numbers.size() == 6) {
    box = {numbers[0], numbers[1], numbers[3], numbers[4]};
  } else {
    throw core::InvalidParameter("bbox", "expected 4 or 6 numbers, got " + std::to_string(numbers.size()));
  }
  return box;
}

}  // namespace

core::Envelope parse_bbox(std::string_view text) { return checked_crs84_box(bbox_numbers(text)); }

core::Envelope checked_crs84_box(const core::Envelope& box) {
  if (box.min_y > box.max_y)
    throw core::InvalidParameter("bbox", "the lower latitude is above the upper one");
  if (box.min_y < -90 || box.max_y > 90)
    throw core::InvalidParameter("bbox", "latitudes must lie within -90..90");
  if (box.min_x < -180 || box.max_x > 180)
    throw core::InvalidParameter("bbox", "longitudes must lie within -180..180");
  return box;
}

core::FeatureQuery parse_items_request(const http::Request& request,
                                       const core::Collection& collection,
                                       const ItemsLimits& limits) {
  core::FeatureQuery query;
  query.collection = collection.id;
  std::optional<std::string> bbox_text;
  core::Crs bbox_crs, filter_crs;
  query.limit = limits.default_limit;
  // A file has no next link: it may hold more than a page (max_download_features).
  const std::int64_t max_limit = is_download_request(request) ? limits.max_download_features : limits.max_limit;
  for (const auto& [name, value] : request.query) {
    if (name == "limit") {
      // Part 1, /req/core/fc-limit-response-1: above the maximum, serve the maximum.
      query.limit = std::min(parse_integer(name, value, 1), max_limit);
    } else if (name == "offset") {
      query.offset = parse_integer(name, value, 0);
    } else if (name == "after") {
      query.after = parse_integer(name, value, std::numeric_limits<std::int64_t>::min());
    } else if (name == "bbox") {
      bbox_text = value;
    } else if (name == "datetime") {
      query.datetime = core::parse_datetime_parameter(value);
    } else if (name == "crs" || name == "bbox-crs" || name == "filter-crs") {
      auto crs = core::parse_crs(value);
      if (!crs) throw core::InvalidParameter(name, "'" + value + "' is not a CRS URI such as " + core::Crs{4326}.uri());
      (name == "crs" ? query.crs : name == "bbox-crs" ? bbox_crs : filter_crs) = *crs;
    } else if (name == "sortby") {
      query.sortby = parse_sortby(value, collection);
    } else if (name == "properties") {
      query.properties = parse_properties(value, collection);
    } else if (is_items_parameter(name)) {
      continue;  // f: handled by content negotiation
    } else if (collection.property(name)) {
      query.equals.push_back({name, value});
    } else {
      throw core::UnknownParameter(name);
    }
  }
  std::optional<core::Expression> box_shape;  // a box in a projected CRS: its exact shape
  if (bbox_text) {
    if (bbox_crs.is_crs84()) {
      query.bbox = parse_bbox(*bbox_text);
    } else if (bbox_crs.epsg == 4326) {
      // CRS84 with the axes swapped: the same checks, antimeridian included.
      const core::Envelope box = bbox_numbers(*bbox_text);
      query.bbox = checked_crs84_box({box.min_y, box.min_x, box.max_y, box.max_x});
    } else {  // in the CRS's own axis order, transformed to a CRS84 box
      const core::Envelope box = bbox_numbers(*bbox_text);
      if (box.min_x > box.max_x || box.min_y > box.max_y)
        throw core::InvalidParameter("bbox", "each lower corner value must not exceed the upper one");
      const encode::CoordinateTransform to_crs84(bbox_crs, "bbox-crs", /*inverse=*/true);
      query.bbox = to_crs84.to_crs84_bounds(box.min_x, box.min_y, box.max_x, box.max_y);
      box_shape = query::projected_box_condition(box, bbox_crs, to_crs84, "bbox-crs");
    }
  }
  if ((query.filter = parse_filter(request))) {
    if (!filter_crs.is_crs84()) {
      auto tree = std::make_shared<core::Expression>(*query.filter);
      query::transform_literals_to_crs84(*tree, filter_crs);
      query.filter = std::move(tree);
    }
    query::check_crs84_literals(*query.filter);
  }
  query.filter = query::and_condition(std::move(query.filter), std::move(box_shape));
  if (query.after && !query.sortby.empty())
    throw core::InvalidParameter("after", "keyset paging follows the id order; with sortby, page with offset");
  return query;
}

std::shared_ptr<const core::Expression> parse_filter(const http::Request& request) {
  const auto filter = request.param("filter");
  if (!filter) {
    if (request.param("filter-lang")) throw core::InvalidParameter("filter-lang", "given without a filter");
    return nullptr;
  }
  const auto lang = request.param("filter-lang").value_or("cql2-text");
  if (lang == "cql2-text") return std::make_shared<const core::Expression>(query::parse_cql2_text(*filter));
  if (lang == "cql2-json") return std::make_shared<const core::Expression>(query::parse_cql2_json(*filter));
  throw core::InvalidParameter("filter-lang", "'" + std::string(lang) + "': use cql2-text or cql2-json");
}

}  // namespace amis::api::features
