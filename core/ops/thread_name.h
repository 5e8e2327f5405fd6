#pragma once
// Names the calling thread, so that `top -H`, `ps -L`, `perf` and `gdb` show what each of the
// daemon's threads is for (docs/architecture.md, "The threading model").

#include <string_view>

namespace ttb::ops {

// Linux keeps at most 15 characters; a longer name is cut there. Never fails the caller: a name
// is a help to whoever looks, not something the thread depends on.
void name_this_thread(std::string_view name) noexcept;

// For a task run by a pool whose threads it does not start (boost::asio::thread_pool): names the
// thread the first time one of its tasks calls this, and costs a thread-local test afterwards.
void name_pool_thread(std::string_view name) noexcept;

}  // namespace ttb::ops
