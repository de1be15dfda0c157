#include "core/datetime.hpp"

#include <charconv>
#include <cstdio>

#include "core/error.hpp"

namespace amis::core {
namespace {

// Reads exactly `n` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, value);
  if (ec != std::errc{} || end != s.data() + pos + n) return std::nullopt;
  pos += n;
  return value;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's civil-from-days algorithms, for applying UTC offsets.
long long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(long long z, int& y, int& m, int& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

std::string format_date(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

std::optional<std::string> parse_instant(std::string_view s) {
  size_t pos = 0;
  auto y = digits(s, pos, 4);
  if (!y || !expect(s, pos, '-')) return std::nullopt;
  auto mo = digits(s, pos, 2);
  if (!mo || *mo < 1 || *mo > 12 || !expect(s, pos, '-')) return std::nullopt;
  auto d = digits(s, pos, 2);
  if (!d || *d < 1 || *d > days_in_month(*y, *mo)) return std::nullopt;
  if (pos == s.size()) return format_date(*y, *mo, *d);

  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  ++pos;
  auto h = digits(s, pos, 2);
  if (!h || *h > 23 || !expect(s, pos, ':')) return std::nullopt;
  auto mi = digits(s, pos, 2);
  if (!mi || *mi > 59 || !expect(s, pos, ':')) return std::nullopt;
  auto sec = digits(s, pos, 2);
  if (!sec || *sec > 60) return std::nullopt;  // 60: a leap second
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = digits(s, pos, 2);
    if (!oh || *oh > 23 || !expect(s, pos, ':')) return std::nullopt;
    auto om = digits(s, pos, 2);
    if (!om || *om > 59) return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
  } else {
    return std::nullopt;  // RFC 3339 requires a zone
  }
  if (pos != s.size()) return std::nullopt;

  long long minutes = days_from_civil(*y, *mo, *d) * 1440 + *h * 60 + *mi - offset_minutes;
  long long days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  const int minute_of_day = static_cast<int>(minutes - days * 1440);
  int uy = 0, um = 0, ud = 0;
  civil_from_days(days, uy, um, ud);
  if (uy < 0 || uy > 9999) return std::nullopt;
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", uy, um, ud,
                minute_of_day / 60, minute_of_day % 60, *sec, millis);
  return std::string(buf);
}

namespace {

std::optional<std::string> interval_bound(std::string_view text, bool is_end) {
  if (text.empty() || text == "..") return std::nullopt;
  auto instant = parse_instant(text);
  if (!instant) throw InvalidParameter("datetime", "'" + std::string(text) + "' is not an RFC 3339 date or date-time");
  // A date alone covers its whole day.
  if (instant->size() == 10 && is_end) return *instant + "T23:59:59.999Z";
  return instant;
}

}  // namespace

TimeInterval parse_datetime_parameter(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    if (text.empty() || text == "..")
      throw InvalidParameter("datetime", "an instant or an interval is required");
    TimeInterval instant{interval_bound(text, false), interval_bound(text, true)};
    return instant;
  }
  const auto first = text.substr(0, slash);
  const auto second = text.substr(slash + 1);
  if (second.find('/') != std::string_view::npos)
    throw InvalidParameter("datetime", "an interval has exactly one '/'");
  if ((first.empty() || first == "..") && (second.empty() || second == ".."))
    throw InvalidParameter("datetime", "an interval needs at least one bound");
  TimeInterval interval{interval_bound(first, false), interval_bound(second, true)};
  if (interval.start && interval.end && *interval.start > *interval.end)
    throw InvalidParameter("datetime", "the interval starts after it ends");
  return interval;
}

}  // namespace amis::core
