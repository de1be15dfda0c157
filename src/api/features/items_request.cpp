#include "api/features/items_request.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "core/error.hpp"

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
         name == "offset" || name == "crs" || name == "bbox-crs";
}

core::Envelope parse_bbox(std::string_view text) {
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
  query.limit = limits.default_limit;
  for (const auto& [name, value] : request.query) {
    if (name == "limit") {
      // Part 1, /req/core/fc-limit-response-1: above the maximum, serve the maximum.
      query.limit = std::min(parse_integer(name, value, 1), limits.max_limit);
    } else if (name == "offset") {
      query.offset = parse_integer(name, value, 0);
    } else if (name == "bbox") {
      query.bbox = parse_bbox(value);
    } else if (name == "datetime") {
      query.datetime = core::parse_datetime_parameter(value);
    } else if (name == "crs" || name == "bbox-crs") {
      // Part 2 (coordinate systems) is not offered yet; clients that send the
      // default CRS explicitly still get their answer.
      if (value != "http://www.opengis.net/def/crs/OGC/1.3/CRS84" && value != "[OGC:CRS84]")
        throw core::InvalidParameter(name, "only http://www.opengis.net/def/crs/OGC/1.3/CRS84 is supported");
    } else if (is_items_parameter(name)) {
      continue;  // f: handled by content negotiation
    } else if (collection.property(name)) {
      query.equals.push_back({name, value});
    } else {
      throw core::UnknownParameter(name);
    }
  }
  return query;
}

}  // namespace amis::api::features
