/* Compiles plugin.h as strict C99 (-pedantic -Werror) and checks the layout promises a C plugin
 * relies on: size-prefixed structs with struct_size first, the identity prefix of the descriptor.
 */
#include <stddef.h>

#include "ttbridge/plugin.h"

typedef char struct_size_first[(offsetof(ttb_host, struct_size) == 0 &&
                                offsetof(ttb_provider, struct_size) == 0 &&
                                offsetof(ttb_completion, struct_size) == 0 &&
                                offsetof(ttb_http_request, struct_size) == 0 &&
                                offsetof(ttb_http_response, struct_size) == 0 &&
                                offsetof(ttb_callback_request, struct_size) == 0 &&
                                offsetof(ttb_plugin_descriptor, struct_size) == 0)
                                   ? 1
                                   : -1];
typedef char identity_prefix[(offsetof(ttb_plugin_descriptor, abi_major) == 4 &&
                              offsetof(ttb_plugin_descriptor, abi_minor) == 6)
                                 ? 1
                                 : -1];
typedef char frozen_statuses[(TTB_STATUS_OK == 0 && TTB_STATUS_INVALID == 1 &&
                              TTB_STATUS_RATE_LIMITED == 5 && TTB_STATUS_INTERNAL == 8)
                                 ? 1
                                 : -1];

int main(void) {
  struct_size_first* a = NULL;
  identity_prefix* b = NULL;
  frozen_statuses* c = NULL;
  (void)a;
  (void)b;
  (void)c;
  if (!ttb_status_is_retryable(TTB_STATUS_RATE_LIMITED)) return 1;
  if (!ttb_status_is_retryable(TTB_STATUS_VENDOR_UNAVAILABLE)) return 1;
  if (ttb_status_is_retryable(TTB_STATUS_AUTH)) return 1;
  return 0;
}
