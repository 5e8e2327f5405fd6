/* Test plugin "abi_1_0": compiled against the frozen 1.0 header (tests/sdk/abi_1_0/, a copy of
 * sdk/include/ttbridge/plugin.h as released in 1.0), so its descriptor and provider table end
 * where 1.0 ended. Proves that a 1.0 plugin loads and works in a 1.1 host: nothing beyond its
 * struct_size is read, and the 1.1 calls are reported as unsupported. */
#include "raw_common.h"

#if TTB_ABI_MINOR != 0
#error "abi_1_0.c must be compiled against the frozen 1.0 header in tests/sdk/abi_1_0"
#endif

static const char* const kTests =
    "{\"tests\":[{\"id\":\"t10\",\"name\":\"Old Test\",\"kind\":\"assessment\"}]}";
static void list_tests(ttb_plugin* p, ttb_call* c) {
  raw_complete(p, c, TTB_STATUS_OK, kTests);
}
static void create_order(ttb_plugin* p, ttb_str j, ttb_call* c) {
  (void)j;
  raw_complete(p, c, TTB_STATUS_OK, "{\"vendor_order_id\":\"old-1\",\"status\":\"sent\"}");
}
static void handle_callback(ttb_plugin* p, const ttb_callback_request* r, ttb_call* c) {
  (void)r;
  raw_complete(p, c, TTB_STATUS_INVALID, NULL);
}
static void cancel_order(ttb_plugin* p, ttb_str j, ttb_call* c) {
  (void)j;
  raw_complete(p, c, TTB_STATUS_OK, "{\"status\":\"failed\",\"failure_reason\":\"cancelled\"}");
}

static const ttb_provider provider = {
    sizeof(ttb_provider), list_tests, create_order, handle_callback, NULL, cancel_order, NULL};
static const void* get_interface(ttb_plugin* p, const char* id) {
  (void)p;
  return strcmp(id, TTB_PROVIDER_INTERFACE_ID) == 0 ? &provider : NULL;
}
static const ttb_plugin_descriptor descriptor = {sizeof(ttb_plugin_descriptor),
                                                 TTB_ABI_MAJOR,
                                                 TTB_ABI_MINOR,
                                                 "abi_1_0",
                                                 "ABI 1.0 Plugin",
                                                 "1.0.0",
                                                 raw_create,
                                                 raw_destroy,
                                                 get_interface};

const ttb_plugin_descriptor* ttb_plugin_entry(uint16_t major, uint16_t minor) {
  (void)minor;
  return (major == TTB_ABI_MAJOR || major == TTB_ABI_PROBE_MAJOR) ? &descriptor : NULL;
}
