#pragma once
// RFC 3339 instants and ISO 8601 intervals as OGC API - Features uses them in
// `datetime`. Instants are normalised to UTC text ("YYYY-MM-DDTHH:MM:SS[.fff]Z")
// so that the store can compare them as strings.
#include <optional>
#include <string>
#include <string_view>

namespace amis::core {

// A closed time interval; an absent end is open ("..").
struct TimeInterval {
  std::optional<std::string> start;  // inclusive, normalised UTC text
  std::optional<std::string> end;    // inclusive, normalised UTC text
};

// Parses "2018-02-12", "2018-02-12T23:20:50Z", "2018-02-12T23:20:50+07:00".
// Returns the normalised UTC text, or nullopt when the text is not such an instant.
// A date alone stays a date ("2018-02-12").
std::optional<std::string> parse_instant(std::string_view text);

// Parses the `datetime` parameter: an instant, "start/end", "../end", "start/..",
// "/end" or "start/". A date instant covers its whole day.
// @throws InvalidParameter when the text is not a valid instant or interval.
TimeInterval parse_datetime_parameter(std::string_view text);

}  // namespace amis::core
