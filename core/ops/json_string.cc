#include "ops/json_string.h"

namespace ttb::ops {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// The well-formed UTF-8 sequences by their first byte (Unicode's table 3-7, as RFC 3629 gives
// it): how long each is, and the range its second byte must fall in. That range is what rules
// out overlong forms (after E0 and F0), surrogates (after ED) and code points above U+10FFFF
// (after F4); every later byte is a plain continuation byte (80..BF). A first byte not listed
// (a continuation byte, C0, C1, F5..FF) starts no sequence.
struct Utf8Lead {
  unsigned char first_lo, first_hi;
  std::size_t length;
  unsigned char second_lo, second_hi;
};
constexpr Utf8Lead kUtf8Leads[] = {
    {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF}, {0xE1, 0xEC, 3, 0x80, 0xBF},
    {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF}, {0xF0, 0xF0, 4, 0x90, 0xBF},
    {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F},
};

// The length of the well-formed UTF-8 sequence that starts at text[i], or 0 when none does.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  for (const Utf8Lead& lead : kUtf8Leads) {
    if (byte(0) < lead.first_lo || byte(0) > lead.first_hi) continue;
    if (text.size() - i < lead.length) return 0;
    if (byte(1) < lead.second_lo || byte(1) > lead.second_hi) return 0;
    for (std::size_t k = 2; k < lead.length; ++k) {
      if ((byte(k) & 0xC0) != 0x80) return 0;
    }
    return lead.length;
  }
  return 0;
}

void append_control(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\b':
      out.append("\\b");
      return;
    case '\f':
      out.append("\\f");
      return;
    case '\n':
      out.append("\\n");
      return;
    case '\r':
      out.append("\\r");
      return;
    case '\t':
      out.append("\\t");
      return;
    default:
      out.append("\\u00");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run that needs no escaping in one append.
    std::size_t run = i;
    while (run < text.size()) {
      const auto c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out.append(text.substr(i, run - i));
    i = run;
    if (i == text.size()) break;

    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20) {
      append_control(out, c);
      ++i;
    } else if (std::size_t length = utf8_sequence_length(text, i); length != 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out.append(kReplacement);
      ++i;
    }
  }
  out.push_back('"');
}

}  // namespace ttb::ops
