// Shared scaffolding of the raw (no plugin.hpp) test plugins: one instance struct holding the
// host table, and a descriptor built from the provider functions each file defines.
#ifndef TTB_TEST_RAW_COMMON_H
#define TTB_TEST_RAW_COMMON_H
#include <stdlib.h>
#include <string.h>

#include "ttbridge/plugin.h"

struct ttb_plugin {
  const ttb_host* host;
};

static ttb_status raw_create(const ttb_host* host, ttb_str config, ttb_plugin** out, char* err,
                             size_t cap) {
  (void)config;
  (void)err;
  (void)cap;
  *out = (ttb_plugin*)malloc(sizeof(ttb_plugin));
  (*out)->host = host;
  return TTB_STATUS_OK;
}
static void raw_destroy(ttb_plugin* p) {
  free(p);
}

static inline void raw_complete(ttb_plugin* p, ttb_call* call, ttb_status status,
                                const char* json) {
  ttb_completion c;
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.status = status;
  c.json.ptr = json;
  c.json.len = json ? strlen(json) : 0;
  p->host->complete(p->host, call, &c);
}
#endif
