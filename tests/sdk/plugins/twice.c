/* Test plugin "twice": completes every call twice (the second completion must be ignored). */
#include "raw_common.h"

static const char* const kTests =
    "{\"tests\":[{\"id\":\"t\",\"name\":\"T\",\"kind\":\"assessment\"}]}";
static const char* const kUpdate = "{\"vendor_order_id\":\"v\",\"status\":\"sent\"}";

static void list_tests(ttb_plugin* p, ttb_call* c) {
  raw_complete(p, c, TTB_STATUS_OK, kTests);
  raw_complete(p, c, TTB_STATUS_INVALID, NULL);
}
static void create_order(ttb_plugin* p, ttb_str j, ttb_call* c) {
  (void)j;
  raw_complete(p, c, TTB_STATUS_OK, kUpdate);
  raw_complete(p, c, TTB_STATUS_OK, kUpdate);
}
static void handle_callback(ttb_plugin* p, const ttb_callback_request* r, ttb_call* c) {
  (void)r;
  raw_complete(p, c, TTB_STATUS_INVALID, NULL);
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
                                                 TTB_ABI_MINOR,
                                                 "twice",
                                                 "Twice Test Plugin",
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
