#include "coverage/axis_expressions.hpp"

#include <charconv>
#include <cmath>

#include "core/error.hpp"

namespace amis::coverage {
namespace {

constexpr std::size_t kMaxName = 64;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string shown(std::string_view text) {
  return std::string(text.substr(0, 80)) + (text.size() > 80 ? "..." : "");
}

// An axis name: a letter, then letters, digits, '_', '-' or '.', as NCName allows.
bool valid_axis_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(name.front())) return false;
  for (char c : name)
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  return true;
}

// Splits "A(..),B(..)" at the commas between the parenthesised parts.
std::vector<std::string_view> split_axes(std::string_view text, const std::string& parameter) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    else if (text[i] == ')') --depth;
    if (depth < 0 || depth > 1) throw core::InvalidParameter(parameter, "unbalanced parentheses in '" + shown(text) + "'");
    if (text[i] == ',' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0) throw core::InvalidParameter(parameter, "unbalanced parentheses in '" + shown(text) + "'");
  parts.push_back(text.substr(start));
  if (parts.size() > kMaxAxes)
    throw core::InvalidParameter(parameter, "at most " + std::to_string(kMaxAxes) + " axes");
  return parts;
}

// "Name(inside)" -> {Name, inside}.
std::pair<std::string_view, std::string_view> name_and_inside(std::string_view part, const std::string& parameter) {
  part = trim(part);
  const auto open = part.find('(');
  if (open == std::string_view::npos || part.empty() || part.back() != ')')
    throw core::InvalidParameter(parameter, "'" + shown(part) + "' is not axis(values), such as Lat(10:20)");
  return {trim(part.substr(0, open)), part.substr(open + 1, part.size() - open - 2)};
}

std::string checked_name(std::string_view name, const std::string& parameter) {
  if (!valid_axis_name(name)) throw core::InvalidParameter(parameter, "'" + shown(name) + "' is not an axis name");
  return std::string(name);
}

// A bound of an interval: a number or "*".
std::optional<double> bound(std::string_view text, const std::string& parameter) {
  text = trim(text);
  if (text == "*") return std::nullopt;
  auto v = parse_number(text);
  if (!v) throw core::InvalidParameter(parameter, "'" + shown(text) + "' is not a number (or * for an open end)");
  return v;
}

AxisSubset interval(std::string axis, std::string_view inside, char separator, const std::string& parameter) {
  AxisSubset s;
  s.axis = std::move(axis);
  const auto sep = inside.find(separator);
  if (sep == std::string_view::npos) {
    s.low = s.high = bound(inside, parameter);
    if (!s.low) throw core::InvalidParameter(parameter, "a slice of " + s.axis + " needs a number, not *");
    s.slice = true;
    return s;
  }
  if (inside.find(separator, sep + 1) != std::string_view::npos)
    throw core::InvalidParameter(parameter, "an interval of " + s.axis + " has two ends, not more");
  s.low = bound(inside.substr(0, sep), parameter);
  s.high = bound(inside.substr(sep + 1), parameter);
  if (s.low && s.high && *s.low > *s.high)
    throw core::InvalidParameter(parameter, "the interval of " + s.axis + " is inverted (low > high)");
  return s;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::vector<AxisSubset> parse_ogcapi_subset(std::string_view text, const std::string& parameter) {
  std::vector<AxisSubset> out;
  for (auto part : split_axes(text, parameter)) {
    auto [name, inside] = name_and_inside(part, parameter);
    out.push_back(interval(checked_name(name, parameter), inside, ':', parameter));
  }
  return out;
}

AxisSubset parse_wcs_subset(std::string_view text, const std::string& parameter) {
  auto [head, inside] = name_and_inside(text, parameter);
  std::string crs;
  if (const auto comma = head.find(','); comma != std::string_view::npos) {
    crs = std::string(trim(head.substr(comma + 1)));
    head = trim(head.substr(0, comma));
    if (crs.empty() || crs.size() > 200) throw core::InvalidParameter(parameter, "the CRS of a subset is empty or too long");
  }
  if (inside.find('(') != std::string_view::npos || inside.find(')') != std::string_view::npos)
    throw core::InvalidParameter(parameter, "'" + shown(text) + "' is not axis(low,high) or axis(point)");
  auto s = interval(checked_name(head, parameter), inside, ',', parameter);
  s.crs = std::move(crs);
  return s;
}

std::vector<AxisValue> parse_axis_values(std::string_view text, const std::string& parameter) {
  std::vector<AxisValue> out;
  for (auto part : split_axes(text, parameter)) {
    auto [name, inside] = name_and_inside(part, parameter);
    auto v = parse_number(trim(inside));
    if (!v) throw core::InvalidParameter(parameter, "'" + shown(inside) + "' is not a number");
    out.push_back({checked_name(name, parameter), *v});
  }
  return out;
}

}  // namespace amis::coverage
