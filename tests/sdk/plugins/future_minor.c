/* Test plugin "future_minor": built against minor TTB_ABI_MINOR + 1 (a newer SDK of the same
 * major); it must load in this host and speak min(host, own). */
#include "raw_common.h"

static const char* const kTests = "{\"tests\":[]}";
static void list_tests(ttb_plugin* p, ttb_call* c) {
  raw_complete(p, c, TTB_STATUS_OK, kTests);
}
static void create_order(ttb_plugin* p, ttb_str j, ttb_call* c) {
  (void)j;
  raw_complete(p, c, TTB_STATUS_INVALID, NULL);
}
static void handle_callback(ttb_plugin* p, const ttb_callback_request* r, ttb_call* c) {
  (void)r;
  raw_complete(p, c, TTB_STATUS_INVALID, NULL);
}

static const ttb_provider provider = {
    sizeof(ttb_provider), list_tests, create_order, handle_callback, NULL, NULL, NULL, NULL};
static const void* get_interface(ttb_plugin* p, const char* id) {
  (void)p;
  return strcmp(id, TTB_PROVIDER_INTERFACE_ID) == 0 ? &provider : NULL;
}
static const ttb_plugin_descriptor descriptor = {sizeof(ttb_plugin_descriptor),
                                                 TTB_ABI_MAJOR,
                                                 TTB_ABI_MINOR + 1,
                                                 "future_minor",
                                                 "Future Minor",
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
