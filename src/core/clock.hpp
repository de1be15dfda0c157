#pragma once
// The current time as services see it. The composition root gives the system
// clock, or a fixed instant ([server] clock in amis.toml) so that a test or a
// reproduced report sees the time it names: staleness, date stamps.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace amis::core {

using Clock = std::function<std::chrono::system_clock::time_point()>;

Clock system_clock();
Clock fixed_clock(std::chrono::system_clock::time_point instant);

// "2026-12-05T18:46:12Z" (an RFC 3339 instant with any offset, or a date) as a
// time point; nullopt when the text is not one.
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text);

// RFC 3339 UTC to the second ("2026-12-05T18:46:12Z").
std::string format_utc(std::chrono::system_clock::time_point instant);
// The date of an instant in UTC ("2026-12-05").
std::string format_date(std::chrono::system_clock::time_point instant);

}  // namespace amis::core
