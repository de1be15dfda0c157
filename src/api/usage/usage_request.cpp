#include "api/usage/usage_request.hpp"

#include <cctype>

#include "core/error.hpp"

namespace amis::api::usage {
namespace {

using core::UsageDimension;

bool digits(std::string_view s) {
  for (const char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_day(std::string_view s) {
  return s.size() == 10 && digits(s.substr(0, 4)) && s[4] == '-' && digits(s.substr(5, 2)) && s[7] == '-' &&
         digits(s.substr(8, 2)) && s.substr(5, 2) >= "01" && s.substr(5, 2) <= "12" && s.substr(8, 2) >= "01" &&
         s.substr(8, 2) <= "31";
}

bool is_hour(std::string_view s) {
  return s.size() == 13 && is_day(s.substr(0, 10)) && s[10] == 'T' && digits(s.substr(11, 2)) && s.substr(11, 2) <= "23";
}

// A period bound: a day, or for the hourly table also an hour; a day given as the
// upper bound of hours means its last hour.
std::string period(const http::Request& rq, const char* name, bool hourly, bool upper) {
  const auto value = rq.param(name);
  if (!value || value->empty()) return {};
  if (is_day(*value)) return hourly ? std::string(*value) + (upper ? "T23" : "T00") : std::string(*value);
  if (hourly && is_hour(*value)) return std::string(*value);
  throw core::InvalidParameter(name, hourly ? "a day (YYYY-MM-DD) or an hour (YYYY-MM-DDTHH), UTC"
                                            : "a day (YYYY-MM-DD), UTC");
}

UsageDimension dimension(std::string_view name, bool hourly) {
  if (name == (hourly ? "hour" : "day")) return UsageDimension::Period;
  if (name == "collection") return UsageDimension::Collection;
  if (name == "service") return UsageDimension::Service;
  if (name == "operation") return UsageDimension::Operation;
  if (name == "format") return UsageDimension::Format;
  if (name == "status") return UsageDimension::StatusClass;
  if (name == "client") return UsageDimension::ClientClass;
  if (name == "country") return UsageDimension::Country;
  throw core::InvalidParameter("group", std::string(hourly ? "hour" : "day") +
                                            ", collection, service, operation, format, status, client or country");
}

std::optional<std::string> filter(const http::Request& rq, const char* name) {
  const auto value = rq.param(name);
  if (!value) return std::nullopt;
  if (value->size() > 128) throw core::InvalidParameter(name, "at most 128 characters");
  return std::string(*value);
}

}  // namespace

std::string dimension_name(UsageDimension d, bool hourly) {
  switch (d) {
    case UsageDimension::Period: return hourly ? "hour" : "day";
    case UsageDimension::Collection: return "collection";
    case UsageDimension::Service: return "service";
    case UsageDimension::Operation: return "operation";
    case UsageDimension::Format: return "format";
    case UsageDimension::StatusClass: return "status";
    case UsageDimension::ClientClass: return "client";
    case UsageDimension::Country: return "country";
  }
  return "day";
}

std::string parse_day(const http::Request& request, const char* name) {
  const auto value = request.param(name);
  if (!value || value->empty()) return {};
  if (!is_day(*value)) throw core::InvalidParameter(name, "a day (YYYY-MM-DD), UTC");
  return std::string(*value);
}

UsageRequest parse_usage_request(const http::Request& rq, bool hourly) {
  UsageRequest out;
  auto& q = out.query;
  q.hourly = hourly;
  q.from = period(rq, "from", hourly, false);
  q.to = period(rq, "to", hourly, true);
  if (!q.from.empty() && !q.to.empty() && q.from > q.to) throw core::InvalidParameter("from", "after to");
  const auto group = rq.param("group");
  const std::string_view list = group ? *group : (hourly ? "hour,collection,service,operation,country"
                                                         : "day,collection,service,operation,country");
  if (list.size() > 200) throw core::InvalidParameter("group", "at most 200 characters");
  std::size_t at = 0;
  while (at <= list.size() && !list.empty()) {
    const auto end = std::min(list.find(',', at), list.size());
    const auto d = dimension(list.substr(at, end - at), hourly);
    for (const auto seen : q.group_by)
      if (seen == d) throw core::InvalidParameter("group", "a dimension named twice");
    q.group_by.push_back(d);
    at = end + 1;
  }
  q.collection = filter(rq, "collection");
  q.service = filter(rq, "service");
  q.operation = filter(rq, "operation");
  q.country = filter(rq, "country");
  const auto f = rq.param("f").value_or("json");
  if (f == "csv") out.csv = true;
  else if (f != "json") throw core::InvalidParameter("f", "json or csv");
  return out;
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace amis::api::usage
