#pragma once
// Which heap allocator serves the running program. Release builds of ttbridged link jemalloc
// (cmake/Dependencies.cmake, TTB_JEMALLOC): glibc's malloc took about a seventh of the daemon's
// CPU at full ingest, where memory allocated on one thread is freed on another
// (docs/performance.md, "jemalloc for the daemon"). The tests, the CLI and the sanitizer builds
// keep the C library's or the sanitizer's malloc; the daemon names its allocator when it starts.

#include <string>

namespace ttb::ops {

// "jemalloc 5.3.0-0-g54eaed1d8b56..." when jemalloc serves this process's malloc, else "libc"
// (the C library's malloc, or in a sanitizer build the sanitizer's).
std::string allocator_name();

}  // namespace ttb::ops
