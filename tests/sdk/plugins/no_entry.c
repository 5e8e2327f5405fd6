/* Test library "no_entry": a shared library that exports something, but not ttb_plugin_entry. */
#include "ttbridge/plugin.h"

TTB_PLUGIN_EXPORT int not_a_plugin(void) {
  return 42;
}
