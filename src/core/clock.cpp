#include "core/clock.hpp"

#include <ctime>

#include "core/datetime.hpp"

namespace amis::core {

Clock system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

Clock fixed_clock(std::chrono::system_clock::time_point instant) {
  return [instant] { return instant; };
}

std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text) {
  const auto normal = parse_instant(text);  // "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.fff]Z"
  if (!normal) return std::nullopt;
  std::tm tm{};
  const std::string t = normal->size() == 10 ? *normal + "T00:00:00Z" : *normal;
  if (!strptime(t.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string format_utc(std::chrono::system_clock::time_point instant) {
  const auto t = std::chrono::system_clock::to_time_t(instant);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string format_date(std::chrono::system_clock::time_point instant) { return format_utc(instant).substr(0, 10); }

}  // namespace amis::core
