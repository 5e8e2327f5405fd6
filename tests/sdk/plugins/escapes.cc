// Test plugin "escapes": written against the raw C ABI without plugin.hpp, and lets a C++
// exception escape from list_tests (the host and the kit must catch it, not terminate).
#include <stdexcept>

extern "C" {
#include "raw_common.h"
}

namespace {
void list_tests(ttb_plugin*, ttb_call*) {
  throw std::runtime_error("escaped from list_tests");
}
void create_order(ttb_plugin* p, ttb_str, ttb_call* c) {
  raw_complete(p, c, TTB_STATUS_INVALID, nullptr);
}
void handle_callback(ttb_plugin* p, const ttb_callback_request*, ttb_call* c) {
  raw_complete(p, c, TTB_STATUS_INVALID, nullptr);
}
const ttb_provider provider = {sizeof(ttb_provider),
                               list_tests,
                               create_order,
                               handle_callback,
                               nullptr,
                               nullptr,
                               nullptr,
                               nullptr};
const void* get_interface(ttb_plugin*, const char* id) {
  return strcmp(id, TTB_PROVIDER_INTERFACE_ID) == 0 ? &provider : nullptr;
}
const ttb_plugin_descriptor descriptor = {sizeof(ttb_plugin_descriptor),
                                          TTB_ABI_MAJOR,
                                          TTB_ABI_MINOR,
                                          "escapes",
                                          "Escapes",
                                          "0.0.1",
                                          raw_create,
                                          raw_destroy,
                                          get_interface,
                                          nullptr,
                                          nullptr,
                                          nullptr};
}  // namespace

extern "C" const ttb_plugin_descriptor* ttb_plugin_entry(uint16_t major, uint16_t) {
  return (major == TTB_ABI_MAJOR || major == TTB_ABI_PROBE_MAJOR) ? &descriptor : nullptr;
}
