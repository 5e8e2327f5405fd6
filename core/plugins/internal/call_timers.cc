#include "plugins/internal/call_timers.h"

#include "ops/thread_name.h"

namespace ttb::plugins {

CallTimers::CallTimers()
    : work_(io_.get_executor()), thread_([this] {
        ops::name_this_thread("ttb-call-timer");
        io_.run();
      }) {}

CallTimers::~CallTimers() {
  stop();
}

void CallTimers::stop() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ttb::plugins
