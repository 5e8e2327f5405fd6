#pragma once
// Writes text as a JSON string literal, for the lines and bodies the engine writes by hand instead
// of building a JSON tree first (a tree costs an allocation per member; a log line is written on
// every request). Invalid UTF-8 is replaced, never passed through: the result is always valid JSON.

#include <string>
#include <string_view>

namespace ttb::ops {

// Appends `text` quoted and escaped: `"`, `\` and control characters are escaped (\n, \t, …,
// \u00XX for the others), and each byte that does not start a valid UTF-8 sequence becomes
// U+FFFD. Everything else is copied as it is.
void append_json_string(std::string& out, std::string_view text);

}  // namespace ttb::ops
