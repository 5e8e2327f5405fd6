/* Test plugin "silent": accepts every call and never completes any. */
#include "raw_common.h"

static void list_tests(ttb_plugin* p, ttb_call* c) {
  (void)p;
  (void)c;
}
static void create_order(ttb_plugin* p, ttb_str j, ttb_call* c) {
  (void)p;
  (void)j;
  (void)c;
}
static void handle_callback(ttb_plugin* p, const ttb_callback_request* r, ttb_call* c) {
  (void)p;
  (void)r;
  (void)c;
}

static const ttb_provider provider = {
    sizeof(ttb_provider), list_tests, create_order, handle_callback, NULL, NULL, NULL, NULL};
static const void* get_interface(ttb_plugin* p, const char* id) {
  (void)p;
  return strcmp(id, TTB_PROVIDER_INTERFACE_ID) == 0 ? &provider : NULL;
}
static const ttb_plugin_descriptor descriptor = {sizeof(ttb_plugin_descriptor),
                                                 TTB_ABI_MAJOR,
                                                 TTB_ABI_MINOR,
                                                 "silent",
                                                 "Silent Test Plugin",
                                                 "0.0.1",
                                                 raw_create,
                                                 raw_destroy,
                                                 get_interface,
                                                 NULL,
                                                 NULL,
                                                 NULL};

const ttb_plugin_descriptor* ttb_plugin_entry(uint16_t major, uint16_t minor) {
  (void)minor;
  return (major == TTB_ABI_MAJOR || major == TTB_ABI_PROBE_MAJOR) ? &descriptor : NULL;
}
