#pragma once
// Shared by the libFuzzer targets of tests/fuzz (docs/security.md, "Fuzzing"): cutting one input
// into several fields, and the check that turns a broken invariant into a crash libFuzzer keeps.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace ttb::fuzz {

// The input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The first `count - 1` lines of `input` (without their '\n') and then everything after them, so
// a seed file reads like the fields it feeds: one field per line, the last one may span lines.
// Missing fields are empty.
inline std::vector<std::string_view> fields(std::string_view input, std::size_t count) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < count) {
    std::size_t end = input.find('\n');
    if (end == std::string_view::npos) {
      out.push_back(input);
      input = {};
      continue;
    }
    out.push_back(input.substr(0, end));
    input.remove_prefix(end + 1);
  }
  out.push_back(input);
  return out;
}

}  // namespace ttb::fuzz

// Aborts with the broken invariant named, so libFuzzer reports a crash and saves the input.
#define TTB_FUZZ_CHECK(condition)                                                            \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
