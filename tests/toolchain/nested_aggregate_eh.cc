// GCC 12 destroys a member of a nested aggregate twice when a later member's initializer throws.
// See docs/toolchain-gcc12-o3.md. With
//   struct SourceRef { std::string file; int line = 0; int column = 0; };
//   struct Problem { SourceRef where; std::string message; };
// `Problem{{"a.yaml", 3, 7}, "bad"}` registers two exception cleanups that both destroy
// `where.file` (one for the string, one for the whole `where`), and both run if building `message`
// throws: a double free on that path. It takes an inner braced list whose type mixes members with
// and without destructors, as SourceRef does. At -O3 GCC sees the second cleanup read the string
// the first one ended and reports -Wmaybe-uninitialized, which -Werror makes a build failure.
// Naming the inner type, `Problem{SourceRef{"a.yaml", 3, 7}, "bad"}`, gives one cleanup.
//
// This program fails if the named-type spelling does not destroy each member exactly once, and
// prints what the compiler does with the nested-brace spelling: "a member destroyed twice" with
// GCC 12.2 at every -O level, "each member destroyed once" with clang 14.

#include <cstdio>
#include <stdexcept>

namespace {

int live = 0;  // constructed minus destroyed Counted objects

// Stands in for std::string: implicitly made from a literal, and counts itself.
struct Counted {
  Counted(const char*) { ++live; }
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
  ~Counted() { --live; }
};

// Stands in for a std::string whose allocation fails.
struct Throws {
  Throws(const char*) { throw std::runtime_error("initializer throws"); }
};

struct Inner {
  Counted file;
  int line = 0;
};

struct Outer {
  Inner where;
  Throws message;
};

// noinline keeps each initializer in its own function at every optimisation level. The affected
// spelling may draw the -Wmaybe-uninitialized described above; it is the point of this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
[[gnu::noinline]] void nested_braces() {
  Outer o{{"a.yaml", 3}, "bad"};
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
[[gnu::noinline]] void named_inner_type() {
  Outer o{Inner{"a.yaml", 3}, "bad"};
}

int live_after(void (*init)()) {
  live = 0;
  try {
    init();
  } catch (const std::runtime_error&) {
  }
  return live;
}

}  // namespace

int main() {
  const int nested = live_after(nested_braces);
  const int named = live_after(named_inner_type);
  std::printf("Outer{{...}, throws}:      %s\n",
              nested == 0 ? "each member destroyed once" : "a member destroyed twice");
  std::printf("Outer{Inner{...}, throws}: %s\n",
              named == 0 ? "each member destroyed once" : "a member destroyed twice");
  return named == 0 ? 0 : 1;
}
