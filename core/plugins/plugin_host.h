#pragma once
// Transitional: the plugin host lives in plugins/internal/plugin_host.h. This forward stays only
// until the plugin tests under tests/plugins/ include that path; new code includes it directly.

#include "plugins/internal/plugin_host.h"
