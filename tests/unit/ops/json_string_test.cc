// append_json_string writes every log line's values: what it writes must always parse as JSON,
// read back as the text it was given when that text is valid UTF-8, and stay one line.
#include "ops/json_string.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ttb::ops {
namespace {

std::string as_literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// What a JSON parser reads back from the literal.
std::string read_back(const std::string& literal) {
  return nlohmann::json::parse(literal).get<std::string>();
}

TEST(AppendJsonString, PlainTextIsQuotedAsItIs) {
  EXPECT_EQ(as_literal("acme"), R"("acme")");
  EXPECT_EQ(as_literal(""), R"("")");
}

TEST(AppendJsonString, AppendsToWhatIsAlreadyThere) {
  std::string out = "x=";
  append_json_string(out, "y");
  EXPECT_EQ(out, R"(x="y")");
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(as_literal("say \"hi\"\\"), R"("say \"hi\"\\")");
  EXPECT_EQ(as_literal("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
  EXPECT_EQ(as_literal(std::string("\x01\x1f\0", 3)), R"("\u0001\u001f\u0000")");
  const std::string all_controls = [] {
    std::string s;
    for (char c = 0; c < 0x20; ++c) s.push_back(c);
    return s;
  }();
  EXPECT_EQ(read_back(as_literal(all_controls)), all_controls);
  EXPECT_EQ(as_literal(all_controls).find('\n'), std::string::npos);
}

TEST(AppendJsonString, KeepsValidUtf8OfEveryLength) {
  // 2 bytes (é), 3 bytes (€, and U+FFFF), 4 bytes (😀 and U+10FFFF), and DEL, which JSON allows.
  const std::string text =
      "caf\xC3\xA9 \xE2\x82\xAC \xEF\xBF\xBF \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \x7F";
  EXPECT_EQ(as_literal(text), "\"" + text + "\"");
  EXPECT_EQ(read_back(as_literal(text)), text);
}

TEST(AppendJsonString, ReplacesEachByteThatStartsNoValidSequence) {
  const std::string fffd = "\xEF\xBF\xBD";
  struct Case {
    std::string input, expected;
  };
  const Case cases[] = {
      {"\xFF", fffd},                                   // never in UTF-8
      {"\x80z", fffd + "z"},                            // a lone continuation byte
      {"\xC0\x80", fffd + fffd},                        // overlong NUL
      {"\xE0\x80\xAF", fffd + fffd + fffd},             // overlong '/'
      {"\xED\xA0\x80", fffd + fffd + fffd},             // a surrogate (U+D800)
      {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
      {"\xE2\x82", fffd + fffd},                        // cut short at the end
      {"\xE2\x82z", fffd + fffd + "z"},                 // cut short before ASCII
  };
  for (const auto& c : cases) {
    const std::string literal = as_literal(c.input);
    EXPECT_EQ(literal, "\"" + c.expected + "\"") << literal;
    EXPECT_EQ(read_back(literal), c.expected);  // and it is valid JSON
  }
}

}  // namespace
}  // namespace ttb::ops
