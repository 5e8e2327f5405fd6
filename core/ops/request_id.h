#pragma once
// Request ids: short, unique within a process run, cheap to make on the hot path.

#include <string>

namespace ttb::ops {

// 16 hex characters: a random per-process prefix and a counter.
std::string next_request_id();

}  // namespace ttb::ops
