#include "ops/allocator.h"

#include <cstddef>

// jemalloc's control interface. Weak: resolved only in a program linked with jemalloc, otherwise
// null, so that one ttb_ops serves the daemon and the programs that do not link it.
extern "C" int mallctl(const char* name, void* old_value, std::size_t* old_length, void* new_value,
                       std::size_t new_length) __attribute__((weak));

namespace ttb::ops {

std::string allocator_name() {
  if (mallctl == nullptr) return "libc";
  const char* version = nullptr;
  std::size_t length = sizeof(version);
  if (mallctl("version", static_cast<void*>(&version), &length, nullptr, 0) != 0 ||
      version == nullptr) {
    return "jemalloc";
  }
  return std::string("jemalloc ") + version;
}

}  // namespace ttb::ops
