#pragma once
// The few pieces of JSON text the streaming encoders write by hand.
#include <cstdint>
#include <string>
#include <string_view>

namespace amis::encode {

// Appends `text` as a JSON string (quotes included), escaping per RFC 8259.
// Invalid UTF-8 bytes are replaced with U+FFFD so the output stays valid JSON.
void append_json_string(std::string& out, std::string_view text);

// Appends the shortest text that reads back as the same double, always with a
// decimal point or exponent (25.0, not 25); null for NaN/inf.
void append_json_number(std::string& out, double value);
void append_json_number(std::string& out, std::int64_t value);

}  // namespace amis::encode
