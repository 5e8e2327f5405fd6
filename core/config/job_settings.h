#pragma once
// Reads the job settings: `jobs:` of the main config and the `retry:` overrides a tenant file may
// carry. Internal to ttb_config.

#include "config/document.h"
#include "config/settings.h"
#include "config/values.h"

namespace ttb::config {

// The keys a `retry:` map may hold, in the main config and in tenant files alike.
std::vector<std::string_view> retry_keys();

// Reads a `retry:` map into `retry`, setting only the fields written there. Problems go to the
// document; a policy whose base delay exceeds its max delay is reported as well.
void read_retry(Document& doc, ValueReader& values, const MapView& map, RetrySettings& retry);

// The keys of the main config's `jobs.breaker:` map.
std::vector<std::string_view> breaker_keys();

// Reads the main config's `jobs:` section (an absent section keeps the defaults).
void read_jobs(Document& doc, ValueReader& values, const MapView& map, JobSettings& jobs);

}  // namespace ttb::config
