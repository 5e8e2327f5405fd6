/* Test plugin "wrong_major": claims plugin ABI 2.3, as a plugin from a future SDK would. */
#include "raw_common.h"

static const void* get_interface(ttb_plugin* p, const char* id) {
  (void)p;
  (void)id;
  return NULL;
}
static const ttb_plugin_descriptor descriptor = {sizeof(ttb_plugin_descriptor),
                                                 2,
                                                 3,
                                                 "wrong_major",
                                                 "Wrong Major",
                                                 "9.0.0",
                                                 raw_create,
                                                 raw_destroy,
                                                 get_interface,
                                                 NULL,
                                                 NULL,
                                                 NULL};

const ttb_plugin_descriptor* ttb_plugin_entry(uint16_t major, uint16_t minor) {
  (void)minor;
  return (major == 2 || major == TTB_ABI_PROBE_MAJOR) ? &descriptor : NULL;
}
